"""Working-day arithmetic from the command line, for checking a deadline by hand.

python manage.py workdays add 2020-12-24 1                # 2020-12-29
python manage.py workdays between 2020-12-24 2021-01-05   # 5
python manage.py workdays add 2020-12-24 5 --nation scotland
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from localcompact.rulebook import Nation, RuleError, calendar_for


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: write it as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "add DATE N: the N-th working day after DATE. "
        "between A B: how many working days fall after A up to and including B."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["add", "between"])
        parser.add_argument("first", help="a date, YYYY-MM-DD")
        parser.add_argument("second", help="a number of working days (add) or a date (between)")
        parser.add_argument(
            "--nation",
            default=Nation.ENGLAND_AND_WALES.value,
            help="whose bank holidays to skip: england-and-wales (default), scotland or "
            "northern-ireland",
        )

    def handle(self, *args: object, **options: str) -> None:
        try:
            cal = calendar_for(options["nation"])
        except RuleError as error:
            raise CommandError(error.message) from None
        start = _date(options["first"])
        if options["action"] == "add":
            try:
                n = int(options["second"])
            except ValueError:
                raise CommandError(
                    f"{options['second']!r} is not a whole number of working days."
                ) from None
            self.stdout.write(cal.add_working_days(start, n).isoformat())
        else:
            self.stdout.write(str(cal.working_days_between(start, _date(options["second"]))))
