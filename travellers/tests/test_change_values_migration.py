"""travellers 0007: older change-history lines gain the stored values of their language-worded fields."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from travellers.models import ArrivalChange

migration = importlib.import_module("travellers.migrations.0007_change_line_values")


@pytest.mark.django_db
def test_older_lines_written_in_indonesian_read_in_english_after_the_migration(officer_client, officer, make_arrival):
    arrival = make_arrival(officer=officer)
    lines = [
        {"field": "transport", "label": "moda transportasi", "old": "Mobil pribadi", "new": "Bus"},
        {"field": "symptoms", "label": "gejala", "old": "—", "new": "Demam, Batuk"},
        {"field": "plate", "label": "nomor polisi kendaraan", "old": "BA 1", "new": "BA 2"},
        {"field": "purpose", "label": "keperluan", "old": "Sesuatu yang diketik", "new": "Bekerja"},
    ]
    change = ArrivalChange.objects.create(arrival=arrival, changed_by=officer, changes=lines)
    migration.forwards(apps, None)
    change.refresh_from_db()
    transport, symptoms, plate, purpose = change.changes
    assert (transport["old_value"], transport["new_value"]) == ("car", "bus")
    assert (symptoms["old_value"], symptoms["new_value"]) == ([], ["fever", "cough"])
    assert "old_value" not in plate  # a plate reads the same in every language
    assert "old_value" not in purpose  # words no choice has stay as they were written
    officer_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    history = officer_client.get(reverse("travellers:arrival_update", args=[arrival.pk])).content.decode()
    assert "Private car</del> → <ins>Bus" in history
    assert "Fever, Cough" in history
