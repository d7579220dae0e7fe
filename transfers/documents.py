"""Whether a document number shown at the host really is this member's.

A host may link an arriving member who is already in the system only on the
strength of a document of theirs; otherwise anyone could take over another
organization's record by typing an ID number. Letters are checked here; the
activity-cards app registers the card check from its ``AppConfig.ready()``
(``transfers`` cannot import it).
"""
from collections.abc import Callable

from transfers.choices import DocumentKind
from transfers.models import CertificateLetter, IntroductionLetter

DocumentChecker = Callable[..., bool]
_checkers: dict[str, DocumentChecker] = {
    DocumentKind.INTRODUCTION_LETTER: lambda member, number: IntroductionLetter.objects.filter(
        outflow__member=member, number=number).exists(),
    DocumentKind.CERTIFICATE_LETTER: lambda member, number: CertificateLetter.objects.filter(
        outflow__member=member, number=number).exists(),
}


def register_document_checker(kind: str, checker: DocumentChecker) -> None:
    _checkers[kind] = checker


def document_matches(member, kind: str, number: str) -> bool:
    number = number.strip()
    checker = _checkers.get(kind)
    return bool(number and checker and checker(member, number))
