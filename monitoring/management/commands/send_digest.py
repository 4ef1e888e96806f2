from django.core.management.base import BaseCommand

from monitoring.digest import digest_send_all


class Command(BaseCommand):
    help = "Send today's follow-up digest e-mail to every subscriber (once a day; meant for cron, e.g. 06:00 WIB)."

    def handle(self, *args, **options):
        sent = digest_send_all()
        self.stdout.write(f"Digest sent to {sent} subscriber(s).")
