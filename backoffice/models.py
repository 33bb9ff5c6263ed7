"""The top layer keeps no models (the ones it manages stay in their apps).

This module exists so that Django sends post_migrate for this app as well: the base's and the
audit's post_migrate work (role groups, database roles and triggers) waits for the signal of the
last installed app, and Django sends none for an app without a models module."""
