"""Who may do what with annual reports (django-rules).

Reading a report, its PDF and its figures: anyone (no permission is checked). Asking
for a report to be generated again: the compact's support team, and staff
(`organisations.rules.is_support_team`, as the other apps check the support team).
"""

import rules

from localcompact.organisations.rules import is_support_team

rules.add_perm("reports.regenerate", is_support_team)
