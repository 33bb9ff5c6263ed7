"""Load the demo city: a city, two counties, departments, one user per role. Safe to run again."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from portal import demo
from portal.models import Department, User
from portal.roles import Role
from portal.services.roles import set_user_roles


class Command(BaseCommand):
    help = "Create the demo departments and accounts (existing ones are kept as they are)."

    def handle(self, *args, **options):
        # SECURITY.md 14.16: the demo accounts share one published password, and a bureau admin among them.
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                _("生产环境设置不允许加载演示数据（DEMO_DATA_ALLOWED 为关闭）：演示账号共用一个公开的密码。")
            )
        self._seed()

    @transaction.atomic
    def _seed(self):
        by_code = {}
        for serial, (code, name, level, parent, is_bureau, region) in enumerate(demo.DEPARTMENTS, start=1):
            department, _ = Department.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "level": level,
                    "parent": by_code.get(parent),
                    "is_bureau": is_bureau,
                    "uscc": demo.make_uscc(region, serial),
                },
            )
            by_code[code] = department
        created = 0
        for username, real_name, department_code, roles in demo.USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(
                    username=username,
                    real_name=real_name,
                    department=by_code.get(department_code),
                    email=f"{username}@demo.gov.cn",
                    is_staff=Role.BUREAU_ADMIN in roles,
                )
                validate_password(demo.DEMO_PASSWORD, user)
                user.set_password(demo.DEMO_PASSWORD)
                user.save()
                set_user_roles(user, roles)
                created += 1
        self.stdout.write(f"demo data: {len(by_code)} departments, {created} new accounts")
        self._seed_apps(by_code)
        self.stdout.write(
            f"demo sign-ins (password for all: {demo.DEMO_PASSWORD}; "
            "data officers of the other departments: officer_<dept>)"
        )
        for username, real_name, department_code, roles in demo.USERS[:7]:
            dept = by_code[department_code].name if department_code else "-"
            labels = "/".join(str(r.label) for r in roles)
            self.stdout.write(f"  {username:<12} {labels:<10} {real_name} {dept}")

    def _seed_apps(self, by_code):
        """Each app that has a demo module adds its demo data: seed(*, users, officers) -> summary."""
        import importlib

        users = {u.username: u for u in User.objects.filter(username__in=[u[0] for u in demo.USERS])}
        officers = {code: users[username] for code, username in demo.OFFICERS.items()}
        for app in ("catalog", "sharing", "openness"):
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            summary = module.seed(users=users, officers=officers)
            self.stdout.write(f"demo {app}: {summary}")
