"""Permissions to import and export CSV, given to the Editors group.

Other staff can curate records in the admin but cannot load or download whole
spreadsheets unless an administrator grants these permissions explicitly.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
CODENAMES = [
    f"{action}_{model}"
    for model in ("document", "event", "figure", "organization", "place", "topic")
    for action in ("import", "export")
]


def grant_to_editors(apps, schema_editor):
    # Permissions are normally created after all migrations; make them now so the
    # group can hold them on a fresh database (as 0002 does).
    archive = apps.get_app_config("archive")
    archive.models_module = True
    create_permissions(archive, verbosity=0, apps=apps)
    archive.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="archive", codename__in=CODENAMES)
    )


def revoke_from_editors(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=EDITORS):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="archive", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0004_search_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='document',
            options={'ordering': ['date_earliest', 'title'], 'permissions': [('import_document', 'Can import documents from CSV'), ('export_document', 'Can export documents to CSV')]},
        ),
        migrations.AlterModelOptions(
            name='event',
            options={'ordering': ['start_date_earliest', 'title'], 'permissions': [('import_event', 'Can import events from CSV'), ('export_event', 'Can export events to CSV')]},
        ),
        migrations.AlterModelOptions(
            name='figure',
            options={'ordering': ['sort_name', 'name'], 'permissions': [('import_figure', 'Can import figures from CSV'), ('export_figure', 'Can export figures to CSV')]},
        ),
        migrations.AlterModelOptions(
            name='organization',
            options={'ordering': ['name'], 'permissions': [('import_organization', 'Can import organizations from CSV'), ('export_organization', 'Can export organizations to CSV')]},
        ),
        migrations.AlterModelOptions(
            name='place',
            options={'ordering': ['name'], 'permissions': [('import_place', 'Can import places from CSV'), ('export_place', 'Can export places to CSV')]},
        ),
        migrations.AlterModelOptions(
            name='topic',
            options={'ordering': ['name'], 'permissions': [('import_topic', 'Can import topics from CSV'), ('export_topic', 'Can export topics to CSV')]},
        ),
        migrations.RunPython(grant_to_editors, revoke_from_editors),
    ]
