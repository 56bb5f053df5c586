from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator, RegexValidator
from django.utils.translation import gettext_lazy as _

from kinbridge.accounts.models import Region, Team, User
from kinbridge.accounts.roles import Role


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The username or password is not right. Please try again."),
        "inactive": _("The username or password is not right. Please try again."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # AuthenticationForm sets max_length after the field is built, so no
        # validator enforces it: without one an over-long name reaches axes,
        # whose username column cannot hold it.
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length or 150))
        username.widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "code",
                "autofocus": True,
            }
        ),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


class SetupCodeForm(CodeForm):
    code = forms.CharField(
        label=_("Code from your app"),
        max_length=6,
        min_length=6,
        validators=[RegexValidator(r"^\d{6}$", _("Enter the six digits your app shows."))],
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "code"}
        ),
    )


class PasswordConfirmForm(forms.Form):
    """Re-authentication before a sensitive change to one's own account."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your current password."))
        return password


class UserForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A user sees the records of their teams."),
    )

    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "language",
            "is_active",
            "two_factor_exempt",
        ]
        help_texts = {
            "username": _("Letters, digits and @ . + - _ only; up to 150 characters."),
            "is_active": _("An inactive user cannot sign in; their sessions end at once."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = Team.objects.active().select_related("region")
        self.fields["email"].required = True
        if self.instance.pk:
            self.initial["roles"] = sorted(self.instance.role_codes)
            self.initial["teams"] = list(self.instance.team_ids)
        else:
            del self.fields["is_active"]
        if not settings.TWO_FACTOR_ALLOW_EXEMPTIONS:
            del self.fields["two_factor_exempt"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        taken = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if email and taken.exists():
            raise forms.ValidationError(_("Another user already has this e-mail address."))
        return email

    def clean_username(self):
        username = self.cleaned_data["username"]
        taken = User.objects.filter(username__iexact=username).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("This username is taken."))
        return username


class TeamForm(forms.ModelForm):
    members = forms.ModelMultipleChoiceField(
        label=_("Members"),
        queryset=User.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Team
        fields = ["name", "region", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["members"] = list(
                self.instance.memberships.values_list("user_id", flat=True)
            )
        else:
            del self.fields["is_active"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Team.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("A team with this name already exists."))
        return name


class RegionForm(forms.ModelForm):
    class Meta:
        model = Region
        fields = ["name", "country"]

    def clean_country(self):
        country = self.cleaned_data["country"].strip().upper()
        if len(country) != 2 or not country.isascii() or not country.isalpha():
            raise forms.ValidationError(
                _("Use the two-letter country code, for example LT, GB or RU.")
            )
        return country

    def clean(self):
        cleaned = super().clean()
        name, country = cleaned.get("name"), cleaned.get("country")
        if name and country:
            taken = Region.objects.filter(name__iexact=name.strip(), country=country)
            if taken.exclude(pk=self.instance.pk).exists():
                self.add_error("name", _("This country already has a region with this name."))
        return cleaned

    def validate_unique(self):
        # clean() gives the friendlier, case-insensitive message.
        pass


class RolePolicyForm(forms.Form):
    def __init__(self, *args, policies: dict[str, bool], **kwargs):
        super().__init__(*args, **kwargs)
        for role in Role:
            self.fields[role.value] = forms.BooleanField(
                label=role.label, required=False, initial=policies.get(role.value, False)
            )


class UnlockForm(forms.Form):
    username = forms.CharField(max_length=150, required=False)
    ip_address = forms.GenericIPAddressField(required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("username") and not cleaned.get("ip_address"):
            raise forms.ValidationError(_("Say which account or address to unlock."))
        return cleaned
