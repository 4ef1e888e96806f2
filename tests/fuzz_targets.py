"""Every form and endpoint the fuzzer attacks. A new form is one more line in TARGETS.

FuzzTarget(url name, fields or form, as_user=..., method="post"|"get", json=False, url_args=...)
- fields: the names to send (each may also be left out, repeated or given a wrong type);
  or form="app.forms.FormClass" to take them from the form.
- as_user: who is signed in: None, "officer", "village_head", "task_force" (verified two-factor),
  "task_force_new" (no device yet), "task_force_unverified" (device, code not yet given), "admin".
- url_args: a callable(ctx) -> reverse() args, for URLs of one object (ctx.users[...] etc.).
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FuzzTarget:
    url_name: str
    fields: tuple[str, ...] = ()
    form: str = ""
    as_user: str | None = None
    method: str = "post"
    json: bool = False
    url_args: Callable | None = field(default=None, compare=False)

    @property
    def id(self):
        return f"{self.url_name}[{self.as_user or 'anonymous'}]"


TARGETS = [
    FuzzTarget("accounts:login", ("username", "password", "next")),
    FuzzTarget("admin:login", ("username", "password", "next")),
    FuzzTarget("accounts:password_change", form="accounts.forms.PasswordChangeForm", as_user="village_head"),
    FuzzTarget("accounts:two_factor_setup", ("token", "next"), as_user="task_force_new"),
    FuzzTarget("accounts:two_factor_verify", ("token", "next"), as_user="task_force_unverified"),
    FuzzTarget("admin:accounts_user_add", form="accounts.forms.UserAdminCreationForm", as_user="admin"),
    FuzzTarget(
        "admin:accounts_user_change",
        form="accounts.forms.UserAdminChangeForm",
        as_user="admin",
        url_args=lambda ctx: [ctx.users["village_head"].pk],
    ),
    FuzzTarget("regions:search", ("q", "dalam", "dari", "sampai"), as_user="village_head", method="get"),
    FuzzTarget("regions:children", ("induk",), as_user="village_head", method="get"),
    FuzzTarget("set_language", ("language", "next")),
]
