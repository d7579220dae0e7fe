"""The post-return check's ticks become dated facts.

Existing rows keep what they said: a ticked check or report is dated on the
return day (the only date the old record has); an unticked one stays empty.
A ticked card check also dates the take-back on the return day, since the
card was taken back when the return was registered.
"""
from django.db import migrations, models
from django.db.models import F


def ticks_to_dates(apps, schema_editor):
    ReturnRegistration = apps.get_model("transfers", "ReturnRegistration")
    ReturnRegistration.objects.filter(card_checked=True).update(card_checked_on=F("returned_on"),
                                                                card_taken_back_on=F("returned_on"))
    ReturnRegistration.objects.filter(report_heard=True).update(report_heard_on=F("returned_on"))


def dates_to_ticks(apps, schema_editor):
    ReturnRegistration = apps.get_model("transfers", "ReturnRegistration")
    ReturnRegistration.objects.filter(card_checked_on__isnull=False).update(card_checked=True)
    ReturnRegistration.objects.filter(report_heard_on__isnull=False).update(report_heard=True)


class Migration(migrations.Migration):

    dependencies = [
        ('transfers', '0002_claims_check_codes_and_inflow_attempts'),
    ]

    operations = [
        migrations.AddField(
            model_name='returnregistration',
            name='card_checked_on',
            field=models.DateField(blank=True, null=True, verbose_name='查验活动证或证明信日期'),
        ),
        migrations.AddField(
            model_name='returnregistration',
            name='card_taken_back_on',
            field=models.DateField(blank=True, null=True, verbose_name='收回活动证日期'),
        ),
        migrations.AddField(
            model_name='returnregistration',
            name='report_heard_on',
            field=models.DateField(blank=True, null=True, verbose_name='听取外出期间情况汇报日期'),
        ),
        migrations.RunPython(ticks_to_dates, dates_to_ticks),
        migrations.RemoveField(
            model_name='returnregistration',
            name='card_checked',
        ),
        migrations.RemoveField(
            model_name='returnregistration',
            name='report_heard',
        ),
        migrations.AlterField(
            model_name='returnregistration',
            name='returned_on',
            field=models.DateField(db_index=True, verbose_name='返回日期'),
        ),
    ]
