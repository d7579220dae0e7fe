"""The columns of the pinyin search (members.pinyin), filled by 0019 and indexed by 0020."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0018_roster_column_choices'),
        ('organizations', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='member',
            name='name_initials',
            field=models.CharField(blank=True, editable=False, max_length=50, verbose_name='姓名拼音首字母'),
        ),
        migrations.AddField(
            model_name='member',
            name='name_pinyin',
            field=models.CharField(blank=True, editable=False, max_length=300, verbose_name='姓名拼音'),
        ),
    ]
