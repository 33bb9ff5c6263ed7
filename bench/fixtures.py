"""The bench city: the demo departments and one account per role (as seed_demo makes them, without
its demo catalog), plus staff accounts for the load scenarios. Passwords are unusable: the
scenarios sign in with session rows and API tokens (bench.common), not through the password hasher."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction


@dataclass
class Fixtures:
    departments: dict  # code -> Department
    users: dict  # username -> User
    staff: list = field(default_factory=list)  # department staff of several departments, for load


@transaction.atomic
def base(staff_count: int = 60) -> Fixtures:
    from portal import demo
    from portal.models import Department, User
    from portal.roles import Role
    from portal.services.roles import ensure_role_groups, set_user_roles

    ensure_role_groups()
    by_code = {}
    for serial, (code, name, level, parent, is_bureau, region) in enumerate(demo.DEPARTMENTS, start=1):
        by_code[code], _ = Department.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "level": level,
                "parent": by_code.get(parent),
                "is_bureau": is_bureau,
                "uscc": demo.make_uscc(region, serial),
            },
        )
    users = {}
    for username, real_name, code, roles in demo.USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                real_name=real_name,
                department=by_code.get(code),
                email=f"{username}@bench.gov.cn",
                is_staff=Role.BUREAU_ADMIN in roles,
            )
            user.set_unusable_password()
            user.save()
            set_user_roles(user, roles)
        users[username] = user
    staff_departments = [d for d in by_code.values() if d.level == "department" and not d.is_bureau]
    staff = []
    for i in range(staff_count):
        username = f"bench_staff_{i:03d}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                real_name=f"压测{i:03d}",
                email=f"{username}@bench.gov.cn",
                department=staff_departments[i % len(staff_departments)],
            )
            user.set_unusable_password()
            user.save()
            set_user_roles(user, [Role.DEPARTMENT_STAFF])
        staff.append(user)
    return Fixtures(departments=by_code, users=users, staff=staff)
