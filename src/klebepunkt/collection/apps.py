from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectionConfig(AppConfig):
    name = "klebepunkt.collection"
    label = "collection"
    verbose_name = _("Card collection")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from klebepunkt.collection.views_phone import join_by_code, page_for_short_code
        from klebepunkt.voting import joins

        joins.register(by_code=join_by_code, by_short_code=page_for_short_code)
