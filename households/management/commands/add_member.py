"""add_member USERNAME --role ROLE --scope CODE [--name 姓名] [--password P] [--reveal]

How a deployment gets its first users: creates the user if needed and grants the membership.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from households.services import membership_grant, user_grant_reveal
from resettle.scoping import Role


class Command(BaseCommand):
    help = "Create a user if needed and grant them a role over a region or site."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--scope", required=True, help="region code (e.g. 6531) or site code")
        parser.add_argument("--password", help="set this password (new users need one)")
        parser.add_argument(
            "--name", help="the person's 姓名, shown wherever the user is named (e.g. 审核人)"
        )
        parser.add_argument(
            "--reveal", action="store_true", help="may see ID numbers and phones in full"
        )

    @transaction.atomic
    def handle(self, *args, username, role, scope, password, reveal, name=None, **options):
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username)
        if password:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
            user.set_password(password)
        elif created:
            raise CommandError(f"{username} is a new user: give --password")
        if name is not None:
            name = name.strip()
            if not name or len(name) > 150:
                raise CommandError("--name: give the person's 姓名 (1 to 150 characters)")
            user.first_name, user.last_name = name, ""
        user.save()
        try:
            membership = membership_grant(user=user, role=role, scope_code=scope)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if reveal:
            user_grant_reveal(user=user)
        self.stdout.write(f"{'created' if created else 'updated'} {username}: {membership}")
