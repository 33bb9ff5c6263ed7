"""The kinds of notification, for the preferences page: every app declares the kinds it sends in
its plugin (portal.plugins, `notification_kinds`)."""

from collections.abc import Iterator, Mapping

from portal import plugins


class _Kinds(Mapping):
    """{kind: label} of every installed app, read from the plugins."""

    @staticmethod
    @plugins.derived
    def _all() -> dict[str, str]:
        return plugins.merged("notification_kinds")

    def __getitem__(self, kind: str) -> str:
        return self._all()[kind]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def __contains__(self, kind: object) -> bool:
        return kind in self._all()


KINDS: Mapping[str, str] = _Kinds()
