from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import Department
from protection.signatures.conf import setting
from protection.signatures.services.keys import MAX_ISSUE_DAYS

MAX_EVIDENCE = 5 * 1024 * 1024


class VerifyForm(forms.Form):
    evidence = forms.FileField(label=_("证据包（ZIP）"))
    delivered = forms.FileField(label=_("收到的数据文件（可选）"), required=False)

    def clean_evidence(self):
        f = self.cleaned_data["evidence"]
        if f.size > MAX_EVIDENCE:
            raise forms.ValidationError(_("证据包不能超过 5 MB。"))
        return f


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("吊销原因"), max_length=200)


class IssueForm(forms.Form):
    """A key record issued by hand: a department's, or the platform's when no department is chosen."""

    department = forms.ModelChoiceField(
        label=_("部门"),
        queryset=Department.objects.order_by("name"),
        required=False,
        empty_label=_("平台签名证书（不选部门）"),
    )
    days = forms.IntegerField(label=_("有效天数"), min_value=1, max_value=MAX_ISSUE_DAYS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = setting("CERTIFICATE_DAYS")
        # one message for an empty, non-numeric or out-of-range validity: the service's own
        message = _("有效天数须在 1 到 %(n)d 之间。") % {"n": MAX_ISSUE_DAYS}
        for code in ("required", "invalid", "min_value", "max_value"):
            self.fields["days"].error_messages[code] = message
