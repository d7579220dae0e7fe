from django.apps import AppConfig


class TransfersConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'transfers'
    verbose_name = "外出、流入与组织关系转移"

    def ready(self):
        from accounts.roles import Role, extend_role_permissions
        from members.mobile_definition import register_mobile_member_definition
        from members.panels import register_member_panel
        from members.signals import roster_rows_imported
        from transfers.receivers import register_imported_away_members
        from transfers.mobile_members import counted_member_ids, short_trip_member_ids
        from transfers.panels import timeline_panel

        read = ("transfers.view_outflow", "transfers.view_inflow")
        branch_write = ("transfers.add_outflow", "transfers.change_outflow", "transfers.add_returnregistration",
                        "transfers.register_inflow", "transfers.add_locationchange",
                        "transfers.confirm_letter_receipt")
        claims = ("transfers.decide_member_claim",)
        committee = ("transfers.approve_outflow", "transfers.create_temporary_branch",
                     "transfers.confirm_letter_receipt", "transfers.register_inflow")
        extend_role_permissions(Role.BRANCH_SECRETARY, *read, *branch_write, *claims)
        extend_role_permissions(Role.COMMITTEE_REVIEWER, *read, *committee, *claims)
        extend_role_permissions(Role.DEPARTMENT_ADMIN, *read, *branch_write, *committee, *claims)
        extend_role_permissions(Role.ROSTER_STAFF, *read)
        # in-trip records (contacts, location changes, thought reports) of the members a temporary branch holds
        extend_role_permissions(Role.TEMPORARY_BRANCH_LEADER, "transfers.add_locationchange")
        register_member_panel(timeline_panel)
        register_mobile_member_definition(counted=counted_member_ids, short_trips=short_trip_member_ids)
        roster_rows_imported.connect(register_imported_away_members, dispatch_uid="transfers.migrated_outflows")
