"""The pinyin search's indexes, built once the columns are filled (faster than updating them row by row)."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0020_member_name_pinyin_fill'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='member',
            index=models.Index(fields=['name_pinyin'], name='member_pinyin_idx', opclasses=['varchar_pattern_ops']),
        ),
        migrations.AddIndex(
            model_name='member',
            index=models.Index(fields=['name_initials'], name='member_initials_idx', opclasses=['varchar_pattern_ops']),
        ),
    ]
