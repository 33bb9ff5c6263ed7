"""Factories for the test world."""

import itertools

import factory
from django.contrib.auth.hashers import make_password

from portal import demo
from portal.models import Department, User
from portal.roles import Role
from portal.services.roles import set_user_roles

PASSWORD = demo.DEMO_PASSWORD
_serial = itertools.count(1000)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"测试部门{n}")
    code = factory.Sequence(lambda n: f"dept-{n}")
    uscc = factory.LazyFunction(lambda: demo.make_uscc("540100", next(_serial)))
    level = Department.Level.DEPARTMENT

    @factory.lazy_attribute
    def parent(self):
        if self.level == Department.Level.CITY:
            return None
        city = Department.objects.filter(level=Department.Level.CITY).first()
        return city or Department.objects.create(
            name="测试市",
            code=f"city-{next(_serial)}",
            level=Department.Level.CITY,
            uscc=demo.make_uscc("540100", next(_serial)),
        )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.cn")
    password = factory.LazyFunction(lambda: make_password(PASSWORD))
    department = factory.SubFactory(DepartmentFactory)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            if Role.BUREAU_ADMIN in extracted:
                self.is_staff = True
                self.save(update_fields=["is_staff"])
            set_user_roles(self, extracted)


def user_with_role(role: Role, **kwargs) -> User:
    if role == Role.PUBLIC:
        kwargs.setdefault("department", None)
    return UserFactory(roles=[role], **kwargs)
