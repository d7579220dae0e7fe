"""Whether a paper document shown at the host proves a claim on a member of the system.

Document numbers are sequential and can be guessed, so a number alone proves
nothing: the host must also type the random check code printed on the
document (``transfers.check_codes``), and a letter addressed to an
organization in the system proves a claim only for that organization.
Letters are looked up here; the activity-cards app registers the card lookup
from its ``AppConfig.ready()`` (``transfers`` cannot import it).
"""
from collections.abc import Callable
from dataclasses import dataclass

from organizations.models import Organization
from transfers.check_codes import check_code_matches, new_check_code
from transfers.choices import DocumentKind, LetterStatus, OutflowStatus
from transfers.models import CertificateLetter, IntroductionLetter


@dataclass(frozen=True)
class IssuedDocument:
    check_code: str
    #: The receiving organization a letter names, when it is in the system.
    addressed_to_id: int | None = None


DocumentFinder = Callable[..., IssuedDocument | None]


def _introduction_letter(member, number: str) -> IssuedDocument | None:
    letter = IntroductionLetter.objects.filter(outflow__member=member, number=number,
                                               status=LetterStatus.ISSUED).first()
    return letter and IssuedDocument(letter.check_code, letter.receiving_organization_id)


def _certificate_letter(member, number: str) -> IssuedDocument | None:
    certificate = CertificateLetter.objects.filter(outflow__member=member, number=number,
                                                   outflow__status=OutflowStatus.APPROVED).first()
    return certificate and IssuedDocument(certificate.check_code)


_finders: dict[str, DocumentFinder] = {
    DocumentKind.INTRODUCTION_LETTER: _introduction_letter,
    DocumentKind.CERTIFICATE_LETTER: _certificate_letter,
}


def register_document_finder(kind: str, finder: DocumentFinder) -> None:
    _finders[kind] = finder


def document_proves_claim(*, member, kind: str, number: str, check_code: str, acting_user) -> bool:
    """A document in force, of this member, with this number and check code, addressed to the claimer if at all.

    Without a member or a document the code is still compared (with a throw-away
    code), so the answer takes the same path whether the ID number exists or not.
    """
    number = number.strip()
    finder = _finders.get(kind)
    document = finder(member, number) if (member is not None and number and finder) else None
    code_matches = check_code_matches(document.check_code if document else new_check_code(), check_code)
    if document is None or not code_matches:
        return False
    return document.addressed_to_id is None or Organization.objects.visible_to(acting_user).filter(
        pk=document.addressed_to_id).exists()
