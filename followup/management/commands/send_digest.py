from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from followup.digest import digest_send_all


class Command(BaseCommand):
    help = "Send today's follow-up digest e-mail to every subscriber (once a day; meant for cron, e.g. 06:00 WIB)."

    def handle(self, *args, **options):
        if not settings.SIPANTAU_SITE_URL:
            # Without it every link in the e-mail would point nowhere a reader can open.
            raise CommandError("Set SIPANTAU_SITE_URL to the address people open SIPANTAU at (used in the links).")
        sent = digest_send_all()
        self.stdout.write(f"Digest sent to {sent} subscriber(s).")
