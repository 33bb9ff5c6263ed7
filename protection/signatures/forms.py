from django import forms
from django.utils.translation import gettext_lazy as _

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
