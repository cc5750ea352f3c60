from django.contrib import admin

from klebepunkt.processes import models


class CardInline(admin.TabularInline[models.Card, models.ThemeField]):
    model = models.Card
    extra = 0
    fields = ["text", "goal", "dots", "origin"]


@admin.register(models.Process)
class ProcessAdmin(admin.ModelAdmin[models.Process]):
    list_display = ["title", "year", "goal_threshold", "dots_per_voter", "created_at"]
    search_fields = ["title", "body"]


@admin.register(models.ProcessRole)
class ProcessRoleAdmin(admin.ModelAdmin[models.ProcessRole]):
    list_display = ["process", "user", "role"]
    list_filter = ["role"]


@admin.register(models.ThemeField)
class ThemeFieldAdmin(admin.ModelAdmin[models.ThemeField]):
    list_display = ["name", "process", "position"]
    inlines = [CardInline]


@admin.register(models.Goal)
class GoalAdmin(admin.ModelAdmin[models.Goal]):
    list_display = ["nr", "text", "theme_field"]
    search_fields = ["text"]


@admin.register(models.Card)
class CardAdmin(admin.ModelAdmin[models.Card]):
    list_display = ["text", "theme_field", "goal", "dots"]
    search_fields = ["text", "indicator", "responsible"]


admin.site.register(models.StakeholderGroup)
admin.site.register(models.Member)
admin.site.register(models.Meeting)
