"""Who may do what with accounts (django-rules).

- `accounts.erase_account`: staff only. Erasure reaches every app and every compact, so
  it is not for a compact's support team (whose remit is one compact); the support team
  sees nothing of deletion requests.
A person's own data (download, deletion request) is for that person, signed in: the
views serve only the signed-in user's own, so they need no rule.
"""

import rules

from localcompact.organisations.rules import is_staff

rules.add_perm("accounts.erase_account", is_staff)
