"""CKAN's action API at both of CKAN's addresses: /api/3/action/<name> and /api/action/<name> (the one
ckanapi's RemoteCKAN calls). Included at api/ by config/urls.py."""

from django.urls import path

from interop.ckan.api import ALL_ACTIONS, ActionView

urlpatterns = [
    path(f"{prefix}action/{name}", ActionView.as_view(ckan_action=name), name=f"ckan-{tag}{name}")
    for prefix, tag in (("3/", "3-"), ("", ""))
    for name in ALL_ACTIONS
]
