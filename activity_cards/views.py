from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView

from activity_cards import forms, selectors, services
from activity_cards.choices import CardStatus
from activity_cards.models import ActivityCard
from activity_cards.photos import photo_content_type
from activity_cards.print_extras import card_print_extras
from config.protected_files import protected_file_response
from members.masking import can_see_personal_data
from members.search import searched_members
from transfers.models import Outflow
from organizations.scoping import ScopedListView, ScopedViewMixin
from organizations.service_views import ServiceFormView


def user_is_host(user, card) -> bool:
    """True when the user looks at the card from the host side (not from the origin's tree)."""
    org = user.organization
    if org is None:
        return False
    host = card.member.host_organization
    return bool(host and host.is_within(org) and not card.member.organization.is_within(org))


def user_is_issuer_side(user, card) -> bool:
    """The check code is printed by the issuing committee's tree; a host proves it by typing it, never reads it."""
    org = user.organization
    return bool(org and (card.issued_by.is_within(org) or card.member.organization.is_within(org)))


class CardListView(ScopedListView):
    model = ActivityCard
    permission_required = "activity_cards.view_activitycard"
    template_name = "activity_cards/card_list.html"
    paginate_by = settings.CARD_LIST_PAGE_SIZE
    queryset_method = "with_relations"

    def get_queryset(self):
        qs = super().get_queryset()
        status = self.request.GET.get("status")
        if status in CardStatus.values:
            qs = qs.filter(status=status)
        if self.request.GET.get("filed") == "1":
            qs = qs.filter(filed_with_id=self.request.user.organization_id)
        if q := self.request.GET.get("q", "").replace("\x00", "").strip():  # PostgreSQL refuses NUL
            qs = qs.filter(Q(member__in=searched_members(self.request)) | Q(number=q))
        return qs.order_by("-issued_on", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statuses"] = CardStatus.choices
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context


class CardDueListView(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    permission_required = "activity_cards.view_activitycard"
    template_name = "activity_cards/card_due.html"
    paginate_by = settings.CARD_LIST_PAGE_SIZE

    def get_queryset(self):
        return selectors.cards_due(user=self.request.user, today=timezone.localdate())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["rows"] = [(card, selectors.due_state(card, today)) for card in context["object_list"]]
        return context


class CardDetailView(ScopedViewMixin, DetailView):
    model = ActivityCard
    permission_required = "activity_cards.view_activitycard"
    template_name = "activity_cards/card_detail.html"
    context_object_name = "card"
    queryset_method = "with_relations"

    def get_queryset(self):
        return super().get_queryset().select_related("replaces", "replaced_by", "issued_by_user")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        card = self.object
        context.update(selectors.card_records(card))
        context["is_host"] = user_is_host(self.request.user, card)
        context["show_check_code"] = user_is_issuer_side(self.request.user, card)
        context["breadcrumb"] = [card.member.organization]
        return context


class CardPrintView(CardDetailView):
    template_name = "activity_cards/card_print.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["show_personal_data"] = can_see_personal_data(self.request.user)
        context["print_extras"] = card_print_extras(self.request, self.object)
        return context


class CardPhotoView(ScopedViewMixin, DetailView):
    """The photo is personal data: served only to users who may see the card, and only as an image.

    The content type comes from the extension the server chose when it
    re-encoded the photo; any other stored name is not served at all.
    """

    model = ActivityCard
    permission_required = "activity_cards.view_activitycard"

    def get(self, request, *args, **kwargs):
        card = self.get_object()
        content_type = photo_content_type(card.photo.name)
        if not card.photo or content_type is None or not card.photo.storage.exists(card.photo.name):
            raise Http404(_("照片文件不存在。"))
        extension = card.photo.name.rsplit(".", 1)[-1].lower()
        return protected_file_response(card.photo, content_type=content_type,
                                       filename=f"{card.number}.{extension}", inline=True)


class CardFormView(LoginRequiredMixin, PermissionRequiredMixin, ServiceFormView):
    """Load the scoped object (404 outside the tree), show the form, call the service."""

    template_name = "activity_cards/card_form.html"
    title = ""
    permission_refusal_in_form = False  # e.g. a host trying the origin's verification: 403

    def get_object(self):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.has_permission():
            return self.handle_no_permission()
        self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["object"] = self.object
        return context

    def perform(self, form):
        return self.call_service(**form.service_kwargs())


class CardIssueView(CardFormView):
    permission_required = "activity_cards.add_activitycard"
    form_class = forms.CardIssueForm
    title = gettext_lazy("发放流动党员活动证")
    success_message = gettext_lazy("活动证已发放。")

    def get_object(self):
        return get_object_or_404(Outflow.objects.visible_to(self.request.user).select_related(
            "member__organization", "origin_organization"), pk=self.kwargs["outflow_pk"])

    def get_initial(self):
        return {"issued_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["member"] = self.object.member
        context["outflow"] = self.object
        context["destination"] = services.outflow_destination(self.object)
        context["multipart"] = True
        return context

    def call_service(self, **kwargs):
        return services.card_issue(outflow=self.object, acting_user=self.request.user, **kwargs)


class CardActionView(CardFormView):
    def get_object(self):
        return get_object_or_404(ActivityCard.objects.visible_to(self.request.user).with_relations(),
                                 pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["card"] = self.object
        context["member"] = self.object.member
        return context

    def success_url_for(self, result):
        return self.object.get_absolute_url()


class CardVerifyView(CardActionView):
    permission_required = "activity_cards.verify_activitycard"
    form_class = forms.CardVerifyForm
    title = gettext_lazy("年度查验")
    success_message = gettext_lazy("查验已登记。")

    def call_service(self, **kwargs):
        return services.card_verify(card=self.object, acting_user=self.request.user, **kwargs)


class CardReplaceView(CardActionView):
    permission_required = "activity_cards.add_activitycard"
    form_class = forms.CardReplaceForm
    title = gettext_lazy("换发新证")
    success_message = gettext_lazy("已换发新证，旧证已标记为已换发。")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "multipart": True}

    def call_service(self, **kwargs):
        return services.card_replace(card=self.object, acting_user=self.request.user, **kwargs)

    def success_url_for(self, result):
        return result.get_absolute_url()


class CardTakeBackView(CardActionView):
    permission_required = "activity_cards.verify_activitycard"
    form_class = forms.CardTakeBackForm
    title = gettext_lazy("收回活动证")
    success_message = gettext_lazy("活动证已收回。")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "confirm": _("收回这张活动证？收回后不能再用于流入地登记和认领。"),
                "confirm_keep": _("证上的组织生活、党费、地点变动和表现记录都会保留。")}

    def call_service(self, **kwargs):
        return services.card_take_back(card=self.object, acting_user=self.request.user, **kwargs)


ENTRY_KINDS = {
    "life": (forms.CardLifeForm, services.card_life_add, gettext_lazy("登记参加组织生活情况")),
    "dues": (forms.CardDuesForm, services.card_dues_add, gettext_lazy("登记交纳党费情况")),
    "location": (forms.CardLocationForm, services.card_location_add, gettext_lazy("登记地点变动")),
    "remark": (forms.CardRemarkForm, services.card_remark_add, gettext_lazy("登记表现情况")),
}


class CardEntryView(CardActionView):
    """What the host (or the origin) writes on the card."""

    permission_required = "activity_cards.record_card_entries"
    success_message = gettext_lazy("已登记。")

    def dispatch(self, request, *args, **kwargs):
        if kwargs["kind"] not in ENTRY_KINDS:
            raise Http404
        self.form_class, self.service, self.title = ENTRY_KINDS[kwargs["kind"]]
        return super().dispatch(request, *args, **kwargs)

    def call_service(self, **kwargs):
        return self.service(card=self.object, acting_user=self.request.user, **kwargs)

