"""The pinyin search's indexes, built once the columns are filled (faster than updating them row by row)."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0019_member_name_pinyin_fill'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='member',
            index=models.Index(fields=['organization', 'name_pinyin'], name='member_org_pinyin_idx', opclasses=['int8_ops', 'varchar_pattern_ops']),
        ),
        migrations.AddIndex(
            model_name='member',
            index=models.Index(fields=['organization', 'name_initials'], name='member_org_initials_idx', opclasses=['int8_ops', 'varchar_pattern_ops']),
        ),
    ]
