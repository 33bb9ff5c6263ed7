"""Permission matrix (issue 10 §2): every route of the portal, pages and API, × every role, with the
expected outcome. The test walks the URL configuration (tests/audit/routes.py, the audit coverage
walker's way): a route without a row fails `test_every_route_has_a_row`, naming it.

Columns (tests/security/world.py): anon, public (the applicant), own (staff of the owning department
A), other (staff of department B), officer (A's data officer), reviewer, admin (bureau admin),
auditor. Objects belong to department A; `route[variant]` names the object a row acts on (a draft,
a submitted or published entry, a proposed dataset version, another applicant's application...).
Outcomes (tests/security/matrix.py): + allowed, - refused (403/404), L sign in first, . method not
offered. POST rows send a valid body (BODIES) so that "+" means the action was really allowed,
not that the form was refused before the permission check. Every call runs in a savepoint that is
rolled back: all rows see the same world.

A row whose expected outcome the portal does not yet give is listed in DEFECTS: the area test
leaves it out and `test_known_defect` expects it to fail (xfail strict), until it is fixed.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.audit.routes import all_routes
from tests.security.matrix import Callers, covers, parse_table
from tests.security.route_args import args_for
from tests.security.world import COLUMNS, World, today

MATRIX = """
# route[variant]                               method anon public own other officer reviewer admin auditor
# --- portal pages -------------------------------------------------------------------------------
home                                            GET     +    +     +    +     +       +       +     +
open_data_home                                  GET     +    +     +    +     +       +       +     +
department_list                                 GET     L    -     +    +     +       +       +     +
inbox                                           GET     L    +     +    +     +       +       +     +
dashboard                                       GET     L    -     +    +     +       +       +     +
dashboard_report                                GET     L    -     +    +     +       +       +     +
notifications                                   GET     L    +     +    +     +       +       +     +
notification_read                               POST    L    -     +    -     -       -       -     -  # someone else's: 404
notification_read_all                           POST    L    +     +    +     +       +       +     +
notification_settings                           GET     L    +     +    +     +       +       +     +
notification_settings                           POST    L    +     +    +     +       +       +     +
calendar                                        GET     L    -     -    -     -       -       +     -
calendar                                        POST    L    -     -    -     -       -       +     -
calendar_deadline                               GET     L    +     +    +     +       +       +     +
calendar_missing_dismiss                        POST    L    -     -    -     -       -       +     -  # issue 22.2
login                                           GET     +    +     +    +     +       +       +     +
login                                           POST    +    +     +    +     +       +       +     +
logout                                          POST    +    +     +    +     +       +       +     +
password_change                                 GET     L    +     +    +     +       +       +     +
password_change                                 POST    L    +     +    +     +       +       +     +
password_change_done                            GET     L    +     +    +     +       +       +     +
password_reset                                  GET     +    +     +    +     +       +       +     +
password_reset                                  POST    +    +     +    +     +       +       +     +
password_reset_done                             GET     +    +     +    +     +       +       +     +
password_reset_confirm                          GET     +    +     +    +     +       +       +     +
password_reset_confirm                          POST    +    +     +    +     +       +       +     +
password_reset_complete                         GET     +    +     +    +     +       +       +     +
set_language                                    POST    +    +     +    +     +       +       +     +
# --- sign-in security (issue 14.5, 14.15): the second step and enrolment for oneself; unlocking and
# device reset for the bureau admin ------------------------------------------------------------------
otp_verify                                      GET     L    +     +    +     +       +       +     +
otp_verify                                      POST    L    +     +    +     +       +       +     +
otp_setup                                       GET     L    +     +    +     +       +       +     +
otp_setup                                       POST    L    +     +    +     +       +       +     +
signin_security                                 GET     L    -     -    -     -       -       +     -
signin_unlock                                   POST    L    -     -    -     -       -       +     -
otp_reset                                       POST    L    -     -    -     -       -       +     -
set_language                                    GET     +    +     +    +     +       +       +     +
# --- audit pages: the log only for auditors; integrity also for the bureau admin; usage for officers --
audit_log                                       GET     L    -     -    -     -       -       -     +
audit:log                                       GET     L    -     -    -     -       -       -     +
audit:entry                                     GET     L    -     -    -     -       -       -     +
audit:export                                    GET     L    -     -    -     -       -       -     +
audit:integrity                                 GET     L    -     -    -     -       -       +     +
audit:heads                                     GET     L    -     -    -     -       -       -     +
audit:usage                                     GET     L    -     -    -     +       -       -     -
# --- catalog pages ------------------------------------------------------------------------------
catalog:list                                    GET     L    +     +    +     +       +       +     +
catalog:create                                  GET     L    -     -    -     +       -       -     -
catalog:create                                  POST    L    -     -    -     +       -       -     -
catalog:review_queue                            GET     L    -     -    -     -       +       +     -
catalog:duties                                  GET     L    -     -    -     +       +       +     -
catalog:duties                                  POST    L    -     -    -     +       +       +     -
catalog:duty_confirm                            POST    L    -     -    -     +       -       -     -
catalog:withdrawn                               GET     L    +     +    +     +       +       +     +
catalog:export_csv                              GET     L    +     +    +     +       +       +     +
catalog:export_xlsx                             GET     L    +     +    +     +       +       +     +
catalog:export_dcat                             GET     L    +     +    +     +       +       +     +
catalog:import                                  GET     L    -     -    -     +       -       -     -
catalog:import                                  POST    L    -     -    -     +       -       -     -
catalog:import_job                              GET     L    -     -    -     +       -       -     -
catalog:detail[draft]                           GET     L    -     +    -     +       +       +     -
catalog:detail[published]                       GET     L    +     +    +     +       +       +     +
catalog:edit[draft]                             GET     L    -     -    -     +       -       -     -
catalog:edit[draft]                             POST    L    -     -    -     +       -       -     -
catalog:submit[draft]                           POST    L    -     -    -     +       -       -     -
catalog:approve[submitted]                      POST    L    -     -    -     -       +       +     -
catalog:return[submitted]                       POST    L    -     -    -     -       +       +     -
catalog:revise[published]                       POST    L    -     -    -     +       -       -     -
catalog:withdraw[published]                     POST    L    -     -    -     +       -       -     -
catalog:version[draft]                          GET     L    -     +    -     +       +       +     -
catalog:version[published]                      GET     L    +     +    +     +       +       +     +
catalog:compare[published]                      GET     L    +     +    +     +       +       +     +
catalog:upload[published]                       POST    L    -     -    -     +       -       -     -
catalog:load                                    GET     L    -     -    -     +       +       +     -
catalog:load_remove                             POST    L    -     -    -     -       -       +     -
# --- open data pages: public without sign-in; publishing for A's officer; review for the reviewer --
openness:datasets                               GET     +    +     +    +     +       +       +     +
openness:dataset                                GET     +    +     +    +     +       +       +     +
openness:dataset[on_application]                GET     +    +     +    +     +       +       +     +
openness:download                               GET     +    +     +    +     +       +       +     +
openness:download[on_application]               GET     L    -     -    -     +       +       -     -
openness:version_download                       GET     +    +     +    +     +       +       +     +
openness:apply[on_application]                  GET     L    +     -    -     -       -       -     -
openness:apply[on_application]                  POST    L    +     -    -     -       -       -     -
openness:withdraw                               POST    L    -     -    -     +       +       -     -
openness:confirm_current                        POST    L    -     -    -     +       -       -     -
openness:negative_list                          GET     +    +     +    +     +       +       +     +
openness:withdrawn                              GET     +    +     +    +     +       +       +     +
openness:guide                                  GET     +    +     +    +     +       +       +     +
openness:register                               GET     +    +     +    +     +       +       +     +
openness:register                               POST    +    +     +    +     +       +       +     +
openness:register_confirm                       GET     +    +     +    +     +       +       +     +
openness:register_confirm                       POST    +    +     +    +     +       +       +     +
openness:keys                                   GET     L    +     -    -     -       -       -     -
openness:keys                                   POST    L    +     -    -     -       -       -     -
openness:key_revoke                             POST    L    +     -    -     -       -       -     -
openness:key_renew                              POST    L    +     -    -     -       -       -     -
openness:applications                           GET     L    +     +    +     +       +       +     +
openness:application                            GET     L    +     -    -     +       -       -     -
openness:application[other_applicant]           GET     L    -     -    -     +       -       -     -
openness:application_answer                     POST    L    -     -    -     +       -       -     -
openness:application_rereview                   POST    L    +     -    -     -       -       -     -
openness:application_rereview_decide            POST    L    -     -    -     -       +       -     -
openness:manage                                 GET     L    -     -    -     +       -       -     -
openness:dataset_manage                         GET     L    -     -    -     +       -       -     -
openness:upload                                 GET     L    -     -    -     +       -       -     -
openness:upload                                 POST    L    -     -    -     +       -       -     -
openness:propose_entry                          GET     L    -     -    -     +       -       -     -
openness:propose_entry                          POST    L    -     -    -     +       -       -     -
openness:propose_upload                         GET     L    -     -    -     +       -       -     -
openness:propose_upload                         POST    L    -     -    -     +       -       -     -
openness:version[published]                     GET     L    -     -    -     +       +       -     -  # issue 14.2
openness:version[proposed]                      GET     L    -     -    -     +       +       -     -
openness:version_approve[proposed]              POST    L    -     -    -     -       +       -     -
openness:version_return[proposed]               POST    L    -     -    -     -       +       -     -
openness:review_queue                           GET     L    -     -    -     -       +       -     -
# --- API: portal --------------------------------------------------------------------------------
api-root                                        GET     L    +     +    +     +       +       +     +
api_schema                                      GET     +    +     +    +     +       +       +     +
api_docs                                        GET     +    +     +    +     +       +       +     +
api_token                                       POST    +    +     +    +     +       +       +     +
api_me                                          GET     L    +     +    +     +       +       +     +
api_inbox                                       GET     L    +     +    +     +       +       +     +
api_evaluation                                  GET     L    -     +    +     +       +       +     +
api_deadline                                    GET     L    +     +    +     +       +       +     +
department-list                                 GET     L    -     +    +     +       +       +     +
department-detail                               GET     L    -     +    +     +       +       +     +
calendar-day-list                               GET     L    +     +    +     +       +       +     +
calendar-day-detail                             GET     L    +     +    +     +       +       +     +
calendar-day-detail                             PUT     L    -     -    -     -       -       +     -
calendar-day-detail                             DELETE  L    -     -    -     -       -       +     -
notification-list                               GET     L    +     +    +     +       +       +     +
notification-read-all                           POST    L    +     +    +     +       +       +     +
notification-read                               POST    L    -     +    -     -       -       -     -
# --- API: audit ---------------------------------------------------------------------------------
audit-integrity                                 GET     L    -     -    -     -       -       +     +
audit-usage                                     GET     L    -     -    -     +       -       -     -
audit-entry-list                                GET     L    -     -    -     -       -       -     +
audit-entry-list                                POST    L    -     -    -     -       -       -     .
audit-entry-export                              GET     L    -     -    -     -       -       -     +
audit-entry-detail                              GET     L    -     -    -     -       -       -     +
audit-entry-detail                              PATCH   L    -     -    -     -       -       -     .
audit-entry-detail                              DELETE  L    -     -    -     -       -       -     .
# --- API: catalog -------------------------------------------------------------------------------
catalog-export                                  GET     L    +     +    +     +       +       +     +
catalog-entry-list                              GET     L    +     +    +     +       +       +     +
catalog-entry-list                              POST    L    -     -    -     +       -       -     -
catalog-entry-detail[draft]                     GET     L    -     +    -     +       +       +     -
catalog-entry-detail[draft]                     PATCH   L    -     -    -     +       -       -     -
catalog-entry-detail[published]                 GET     L    +     +    +     +       +       +     +
catalog-entry-detail[published]                 PATCH   L    -     -    -     +       -       -     -
catalog-entry-approve[submitted]                POST    L    -     -    -     -       +       +     -
catalog-entry-return-[submitted]                POST    L    -     -    -     -       +       +     -
catalog-entry-submit[draft]                     POST    L    -     -    -     +       -       -     -
catalog-entry-revise[published]                 POST    L    -     -    -     +       -       -     -
catalog-entry-withdraw[published]               POST    L    -     -    -     +       -       -     -
catalog-entry-versions[draft]                   GET     L    -     +    -     +       +       +     -
catalog-entry-versions[published]               GET     L    +     +    +     +       +       +     +
catalog-entry-rows[draft]                       GET     L    -     +    -     +       +       +     -
catalog-entry-rows[published]                   GET     L    -     +    -     +       +       +     -
catalog-entry-loads[published]                  POST    L    -     -    -     +       -       -     -
catalog-load-detail                             GET     L    -     -    -     +       +       +     -
catalog-load-remove                             POST    L    -     -    -     -       -       +     -
catalog-duty-change-list                        GET     L    +     +    +     +       +       +     +  # filtered to the caller's department
catalog-duty-change-list                        POST    L    -     -    -     -       +       +     -
catalog-duty-list                               GET     L    +     +    +     +       +       +     +  # filtered to the caller's department
catalog-duty-confirm                            POST    L    -     -    -     +       -       -     -
catalog-import-list                             POST    L    -     -    -     +       -       -     -
catalog-import-detail                           GET     L    -     -    -     +       -       -     -
# --- sharing pages: A provides, B (other) applies and holds the grant; [foreign]: a grant held by C --
sharing:home                                    GET     L    +     +    +     +       +       +     +  # each sees their own lists
sharing:choose_entry                            GET     L    +     +    +     +       +       +     +
sharing:apply                                   GET     L    +     +    +     +       +       +     +  # the form; applying is refused below
sharing:apply                                   POST    L    -     +    +     +       -       -     -
sharing:review                                  GET     L    +     +    +     +       +       +     +  # empty for those who review nothing
sharing:application                             GET     L    -     +    +     +       +       +     -
sharing:application_approve                     POST    L    -     -    -     +       -       -     -
sharing:application_refuse                      POST    L    -     -    -     +       -       -     -
sharing:application_cancel                      POST    L    -     -    +     -       -       -     -
sharing:grant                                   GET     L    -     +    +     +       +       +     -
sharing:grant[foreign]                          GET     L    -     +    -     +       +       +     -
sharing:grant_query                             GET     L    -     -    -     -       -       -     -  # the grant is for 获取 (pull) only
sharing:grant_query[foreign]                    GET     L    -     -    -     -       -       -     -
sharing:grant_query                             POST    L    -     -    -     -       -       -     -  # issue 14.14: filters in the body
sharing:grant_query[foreign]                    POST    L    -     -    -     -       -       -     -
sharing:grant_compare                           POST    L    -     -    -     -       -       -     -
sharing:grant_compare[foreign]                  POST    L    -     -    -     -       -       -     -
sharing:grant_statistics                        GET     L    -     -    -     -       -       -     -
sharing:grant_statistics[foreign]               GET     L    -     -    -     -       -       -     -
sharing:grant_pull                              GET     L    -     -    +     -       -       -     -
sharing:grant_pull[foreign]                     GET     L    -     -    -     -       -       -     -
sharing:grant_revoke                            POST    L    -     -    -     +       +       +     -
sharing:grant_revoke[foreign]                   POST    L    -     -    -     +       +       +     -
sharing:objection_new                           GET     L    -     +    +     +       +       +     -  # the form; raising is refused below
sharing:objection_new                           POST    L    -     -    +     -       -       -     -
sharing:objection_new[foreign]                  GET     L    -     +    -     +       +       +     -
sharing:objection_new[foreign]                  POST    L    -     -    -     -       -       -     -
sharing:objection                               GET     L    -     +    +     +       +       +     -
sharing:objection_answer                        POST    L    -     -    -     +       -       -     -
sharing:coordination_new                        GET     L    +     +    +     +       +       +     +  # the form; opening is refused below
sharing:coordination_new                        POST    L    -     +    +     +       -       -     -
sharing:coordination                            GET     L    -     +    +     +       +       +     -
sharing:coordination_answer                     POST    L    -     -    -     +       -       -     -
sharing:coordination_escalate                   POST    L    -     -    +     -       -       -     -
sharing:coordination_conclude                   POST    L    -     -    -     -       +       -     -
sharing:scenarios                               GET     L    -     -    -     -       +       +     -
sharing:scenario_new                            GET     L    -     -    -     -       -       +     -
sharing:scenario_new                            POST    L    -     -    -     -       -       +     -
sharing:scenario_edit                           GET     L    -     -    -     -       -       +     -
sharing:scenario_edit                           POST    L    -     -    -     -       -       +     -
sharing:policy                                  POST    L    -     -    -     -       -       +     -
sharing:usage                                   GET     L    +     +    +     +       +       +     +  # each department its own use
sharing:evaluation                              GET     L    -     -    -     -       +       +     -
# --- API: sharing -------------------------------------------------------------------------------
sharing-policy                                  GET     L    -     -    -     -       -       +     -
sharing-policy                                  PUT     L    -     -    -     -       -       +     -
sharing-overdue                                 GET     L    -     -    -     -       +       +     -
sharing-application-list                        GET     L    +     +    +     +       +       +     +  # filtered to the caller
sharing-application-list                        POST    L    -     +    +     +       -       -     -
sharing-application-review-queue                GET     L    +     +    +     +       +       +     +  # filtered to the caller
sharing-application-detail                      GET     L    -     +    +     +       +       +     -
sharing-application-approve                     POST    L    -     -    -     +       -       -     -
sharing-application-cancel                      POST    L    -     -    +     -       -       -     -
sharing-application-refuse                      POST    L    -     -    -     +       -       -     -
sharing-grant-list                              GET     L    +     +    +     +       +       +     +  # filtered to the caller
sharing-grant-detail                            GET     L    -     +    +     +       +       +     -
sharing-grant-detail[foreign]                   GET     L    -     +    -     +       +       +     -
sharing-grant-compare                           POST    L    -     -    -     -       -       -     -
sharing-grant-compare[foreign]                  POST    L    -     -    -     -       -       -     -
sharing-grant-pull                              GET     L    -     -    +     -       -       -     -
sharing-grant-pull[foreign]                     GET     L    -     -    -     -       -       -     -
sharing-grant-pull                              POST    L    -     -    +     -       -       -     -  # issue 14.14: parameters in the body
sharing-grant-pull[foreign]                     POST    L    -     -    -     -       -       -     -
sharing-grant-query                             GET     L    -     -    -     -       -       -     -
sharing-grant-query[foreign]                    GET     L    -     -    -     -       -       -     -
sharing-grant-query                             POST    L    -     -    -     -       -       -     -
sharing-grant-query[foreign]                    POST    L    -     -    -     -       -       -     -
sharing-grant-revoke                            POST    L    -     -    -     +       +       +     -
sharing-grant-revoke[foreign]                   POST    L    -     -    -     +       +       +     -
sharing-grant-statistics                        GET     L    -     -    -     -       -       -     -
sharing-grant-statistics[foreign]               GET     L    -     -    -     -       -       -     -
sharing-grant-statistics                        POST    L    -     -    -     -       -       -     -
sharing-grant-statistics[foreign]               POST    L    -     -    -     -       -       -     -
sharing-objection-list                          GET     L    +     +    +     +       +       +     +  # filtered to the caller
sharing-objection-list                          POST    L    +     -    +     -       -       -     +  # public, auditor: 400, the grant is hidden from them
sharing-objection-detail                        GET     L    -     +    +     +       +       +     -
sharing-objection-answer                        POST    L    -     -    -     +       -       -     -
sharing-coordination-list                       GET     L    +     +    +     +       +       +     +  # filtered to the caller
sharing-coordination-list                       POST    L    -     +    +     +       -       -     -
sharing-coordination-detail                     GET     L    -     +    +     +       +       +     -
sharing-coordination-answer                     POST    L    -     -    -     +       -       -     -
sharing-coordination-conclude                   POST    L    -     -    -     -       +       -     -
sharing-coordination-escalate                   POST    L    -     -    +     -       -       -     -
sharing-scenario-list                           GET     L    +     +    +     +       +       +     +
sharing-scenario-list                           POST    L    -     -    -     -       -       +     -
sharing-scenario-detail                         GET     L    +     +    +     +       +       +     +
sharing-scenario-detail                         PUT     L    -     -    -     -       -       +     -
sharing-usage-list                              GET     L    +     +    +     +       +       +     +  # filtered to the caller
# --- API: open data (public endpoints: API key or session; account endpoints: signed in) --------
open-api-datasets                               GET     +    +     +    +     +       +       +     +
open-api-dataset-detail                         GET     +    +     +    +     +       +       +     +
open-api-dataset-rows                           GET     +    +     +    +     +       +       +     +
open-api-dataset-rows[on_application]           GET     L    -     -    -     +       +       -     -
open-api-dataset-withdraw                       POST    L    -     -    -     +       +       -     -
open-api-negative-list                          GET     +    +     +    +     +       +       +     +
open-api-keys                                   GET     L    +     +    +     +       +       +     +  # the caller's own keys
open-api-keys                                   POST    L    +     -    -     -       -       -     -
open-api-key-revoke                             POST    L    +     -    -     -       -       -     -
open-api-key-renew                              POST    L    +     -    -     -       -       -     -
open-api-applications                           GET     L    +     +    +     +       +       +     +  # filtered to the caller
open-api-applications                           POST    L    +     -    -     -       -       -     -
open-api-application-answer                     POST    L    -     -    -     +       -       -     -
open-api-application-rereview                   POST    L    +     -    -     -       -       -     -
open-api-application-rereview-decide            POST    L    -     -    -     -       +       -     -
open-api-uploads                                POST    L    -     -    -     +       -       -     -
open-api-versions                               GET     L    +     +    +     +       +       +     +  # filtered to the caller
open-api-versions                               POST    L    -     -    -     +       -       -     -
open-api-version-approve[proposed]              POST    L    -     -    -     -       +       -     -
open-api-version-return[proposed]               POST    L    -     -    -     -       +       -     -
# --- admin site: staff accounts (the bureau admin) with the model permission ---------------------
admin:index                                     GET     L    -     -    -     -       -       +     -
admin:login                                     GET     +    +     +    +     +       +       +     +
admin:logout                                    POST    +    +     +    +     +       +       +     +
admin:password_change                           GET     L    -     -    -     -       -       +     -
admin:password_change_done                      GET     L    -     -    -     -       -       +     -
admin:autocomplete                              GET     L    -     -    -     -       -       -     -
admin:jsi18n                                    GET     L    -     -    -     -       -       +     -
admin:view_on_site                              GET     L    -     -    -     -       -       -     -
admin:app_list                                  GET     L    -     -    -     -       -       +     -
admin/(?P<url>.*)$                              GET     L    -     -    -     -       -       -     -
admin/*/<path:object_id>/                       GET     L    -     -    -     -       -       +     -  # redirect to the change page
admin:authtoken_tokenproxy_*                    GET     L    -     -    -     -       -       -     -
admin:axes_accessattempt_*                      GET     L    -     -    -     -       -       +     -
admin:axes_accessattempt_add                    GET     L    -     -    -     -       -       -     -
admin:axes_accesslog_*                          GET     L    -     -    -     -       -       +     -
admin:axes_accesslog_add                        GET     L    -     -    -     -       -       -     -
admin:axes_accesslog_delete                     GET     L    -     -    -     -       -       -     -
admin:axes_accessfailurelog_*                   GET     L    -     -    -     -       -       -     -
admin:django_celery_beat_periodictask_*         GET     L    -     -    -     -       -       +     -
admin:django_celery_beat_periodictask_add       GET     L    -     -    -     -       -       -     -
admin:django_celery_beat_periodictask_delete    GET     L    -     -    -     -       -       -     -
admin:django_celery_beat_*schedule_*            GET     L    -     -    -     -       -       -     -
admin:portal_department_*                       GET     L    -     -    -     -       -       +     -
admin:portal_department_delete                  GET     L    -     -    -     -       -       -     -
admin:portal_user_*                             GET     L    -     -    -     -       -       +     -
admin:portal_user_delete                        GET     L    -     -    -     -       -       -     -
admin:auth_user_password_change                 GET     L    -     -    -     -       -       +     -
admin:portal_calendarday_*                      GET     L    -     -    -     -       -       +     -
admin:portal_calendaryear_*                     GET     L    -     -    -     -       -       +     -
admin:portal_missingcalendaryear_*              GET     L    -     -    -     -       -       +     -
admin:portal_missingcalendaryear_add            GET     L    -     -    -     -       -       -     -
"""

ROWS = parse_table(MATRIX)

# Rows whose expected outcome the portal does not give yet: (route, variant, method) -> the defect.
DEFECTS: dict[tuple[str, str, str], str] = {}


def _csv(rows, header):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _load_file(w):
    from tests.openness.factories import HEADER, company

    return SimpleUploadedFile("rows.csv", _csv([company(n) for n in range(60, 63)], HEADER), content_type="text/csv")


def _import_file(w):
    from tests.catalog.factories import import_workbook

    return SimpleUploadedFile("目录.xlsx", import_workbook(["矩阵导入的资源"]))


def _entry_json(w):
    from tests.catalog.factories import content, items

    return {**content(name="矩阵新资源"), "items": items()}


# Valid bodies for the POST / PUT / PATCH rows that need one (see the module docstring).
BODIES = {
    ("catalog:upload", "published", "post"): lambda w: {"file": _load_file(w)},
    ("catalog-entry-loads", "published", "post"): lambda w: {"file": _load_file(w)},
    ("catalog:return", "submitted", "post"): lambda w: {"reason": "请补充"},
    ("catalog:withdraw", "published", "post"): lambda w: {"reason": "职能调整"},
    ("catalog-entry-return-", "submitted", "post"): lambda w: json.dumps({"reason": "请补充"}),
    ("catalog-entry-withdraw", "published", "post"): lambda w: json.dumps({"reason": "职能调整"}),
    ("catalog-entry-revise", "published", "post"): lambda w: json.dumps({"change_note": "修订"}),
    ("catalog-entry-approve", "submitted", "post"): lambda w: json.dumps({"comment": "同意"}),
    ("catalog-entry-list", "", "post"): lambda w: json.dumps(_entry_json(w)),
    ("catalog-entry-detail", "draft", "patch"): lambda w: json.dumps({"summary": "新摘要"}),
    ("catalog-entry-detail", "published", "patch"): lambda w: json.dumps({"summary": "新摘要"}),
    ("catalog-duty-change-list", "", "post"): lambda w: json.dumps({
        "department": w.dept_a.pk, "kind": "law", "description": "法规修订", "effective_date": str(today())}),
    ("catalog-duty-confirm", "", "post"): lambda w: json.dumps({"note": "无需变更"}),
    ("catalog:duty_confirm", "", "post"): lambda w: {"note": "无需变更"},
    ("catalog-import-list", "", "post"): lambda w: {"file": _import_file(w)},
    ("calendar-day-detail", "", "put"): lambda w: json.dumps({"kind": "holiday", "name": "国庆节"}),
    ("openness:apply", "on_application", "post"): lambda w: {"purpose": "研究", "intended_use": "统计分析"},
    ("openness:withdraw", "", "post"): lambda w: {"reason": "数据停止更新"},
    ("openness:application_answer", "", "post"): lambda w: {"decision": "approve", "answer": "同意"},
    ("openness:application_rereview", "", "post"): lambda w: {"reason": "理由充分"},
    ("openness:application_rereview_decide", "", "post"): lambda w: {"decision": "approve", "answer": "同意"},
    ("openness:version_return", "proposed", "post"): lambda w: {"reason": "请补充"},
    ("openness:upload", "", "post"): lambda w: {"file": _load_file(w)},
    ("openness:keys", "", "post"): lambda w: {"name": "新密钥"},
    ("password_reset", "", "post"): lambda w: {"email": "someone@example.com"},
    ("otp_verify", "", "post"): lambda w: {"otp_token": "123456"},
    ("otp_setup", "", "post"): lambda w: {"otp_token": "123456"},
    ("signin_unlock", "", "post"): lambda w: {"address": "198.51.100.250"},
    ("otp_reset", "", "post"): lambda w: {"username": w.users["reviewer"].username},
    # sharing
    ("sharing:apply", "", "post"): lambda w: {"purpose": "核定", "scenario_text": "审核", "items": ["id_number", "name"],
                                              "mode": "query", "end_date": str(today() + dt.timedelta(days=30))},
    ("sharing:application_approve", "", "post"): lambda w: {"items": ["id_number", "name"], "mode": "query",
                                                            "end_date": str(today() + dt.timedelta(days=30))},
    ("sharing:application_refuse", "", "post"): lambda w: {"reason": "不符合条件"},
    ("sharing:grant_compare", "", "post"): lambda w: {"key": "id_number", "key_value": "1", "name": "张某"},
    ("sharing:grant_compare", "foreign", "post"): lambda w: {"key": "id_number", "key_value": "1", "name": "张某"},
    ("sharing:grant_revoke", "", "post"): lambda w: {"reason": "停止使用"},
    ("sharing:grant_revoke", "foreign", "post"): lambda w: {"reason": "停止使用"},
    ("sharing:objection_new", "", "post"): lambda w: {"rows": "第2行", "items": ["name"], "reason": "有误"},
    ("sharing:objection_new", "foreign", "post"): lambda w: {"rows": "第2行", "items": ["name"], "reason": "有误"},
    ("sharing:objection_answer", "", "post"): lambda w: {"outcome": "confirm", "answer": "经核实无误"},
    ("sharing:coordination_new", "", "post"): lambda w: {"need": "履职需要"},
    ("sharing:coordination_answer", "", "post"): lambda w: {"outcome": "agree", "answer": "同意"},
    ("sharing:coordination_conclude", "", "post"): lambda w: {"conclusion": "协调完成"},
    ("sharing:scenario_new", "", "post"): lambda w: _scenario_form(w),
    ("sharing:scenario_edit", "", "post"): lambda w: _scenario_form(w),
    ("sharing:policy", "", "post"): lambda w: {"auto_grant_unconditional": "on"},
    ("sharing-policy", "", "put"): lambda w: json.dumps({"auto_grant_unconditional": True}),
    ("sharing-application-list", "", "post"): lambda w: json.dumps({
        "entry": w.grant.entry_id, "purpose": "核定", "scenario_text": "审核", "items": ["id_number"],
        "mode": "query", "end_date": str(today() + dt.timedelta(days=30))}),
    ("sharing-application-approve", "", "post"): lambda w: json.dumps({"note": "同意"}),
    ("sharing-application-refuse", "", "post"): lambda w: json.dumps({"reason": "不符合条件"}),
    ("sharing-grant-compare", "", "post"): lambda w: json.dumps({"key": "id_number", "key_value": "1",
                                                                 "values": {"name": "张某"}}),
    ("sharing-grant-compare", "foreign", "post"): lambda w: json.dumps({"key": "id_number", "key_value": "1",
                                                                        "values": {"name": "张某"}}),
    ("sharing-grant-revoke", "", "post"): lambda w: json.dumps({"reason": "停止使用"}),
    ("sharing-grant-revoke", "foreign", "post"): lambda w: json.dumps({"reason": "停止使用"}),
    ("sharing-objection-list", "", "post"): lambda w: json.dumps({"grant": w.grant.pk, "rows": "第2行",
                                                                  "items": ["name"], "reason": "有误"}),
    ("sharing-objection-answer", "", "post"): lambda w: json.dumps({"outcome": "confirm", "answer": "经核实无误"}),
    ("sharing-coordination-list", "", "post"): lambda w: json.dumps({"entry": w.not_shared_entry.pk,
                                                                     "need": "履职需要"}),
    ("sharing-coordination-answer", "", "post"): lambda w: json.dumps({"outcome": "agree", "answer": "同意"}),
    ("sharing-coordination-conclude", "", "post"): lambda w: json.dumps({"conclusion": "协调完成"}),
    ("sharing-scenario-list", "", "post"): lambda w: json.dumps(_scenario_json(w)),
    ("sharing-scenario-detail", "", "put"): lambda w: json.dumps(_scenario_json(w)),
    # open data API
    ("open-api-dataset-withdraw", "", "post"): lambda w: json.dumps({"reason": "停止更新"}),
    ("open-api-keys", "", "post"): lambda w: json.dumps({"name": "新密钥"}),
    ("open-api-applications", "", "post"): lambda w: json.dumps({
        "dataset": w.on_application_dataset.pk, "purpose": "研究", "intended_use": "统计"}),
    ("open-api-application-answer", "", "post"): lambda w: json.dumps({"approve": True, "answer": "同意"}),
    ("open-api-application-rereview", "", "post"): lambda w: json.dumps({"reason": "理由充分"}),
    ("open-api-application-rereview-decide", "", "post"): lambda w: json.dumps({"approve": True, "comment": "同意"}),
    ("open-api-uploads", "", "post"): lambda w: {"file": _load_file(w)},
    ("open-api-versions", "", "post"): lambda w: json.dumps({"entry": w.published.pk, "items": _safe_rules()}),
    ("open-api-version-return", "proposed", "post"): lambda w: json.dumps({"reasons": "请补充", "reason": "请补充"}),
}


def _safe_rules():
    from tests.openness.factories import SAFE_RULES

    return SAFE_RULES


def _scenario_form(w):
    return {"name": "新场景", "entry": w.grant.entry_id, "items": "id_number name", "modes": ["query"],
            "max_days": 365}


def _scenario_json(w):
    return {"name": "新场景", "entry": w.grant.entry_id, "items": ["id_number", "name"], "modes": ["query"],
            "max_days": 365}

ROUTES = all_routes()


def rows_for(route) -> list[tuple[str, str, str, dict]]:
    exact = [r for r in ROWS if r[0] == route.key]
    return exact or [r for r in ROWS if covers(r[0], route.key) and r[0] != route.key]


def area(key: str) -> str:
    if key.startswith("admin"):
        return "admin"
    if ":" in key:
        return key.split(":", 1)[0]
    return "api" if "-" in key or key.startswith("api") else "portal"


AREAS = sorted({area(r.key) for r in ROUTES})


def test_every_route_has_a_row():
    missing = [f"{r.key}  ({r.pattern})" for r in ROUTES if not rows_for(r)]
    assert not missing, ("routes without a row in the permission matrix (add one to MATRIX in "
                         "tests/security/test_permission_matrix.py):\n  " + "\n  ".join(missing))


def test_every_row_names_a_route():
    keys = {r.key for r in ROUTES}
    stale = [name for name, *_ in ROWS if not any(ch in name for ch in "*?") and name not in keys]
    assert not stale, f"rows for routes that no longer exist: {stale}"


def _check(route, row, world, callers) -> list[str]:
    name, variant, method, expected = row
    variants = args_for(route.key) if route.params else {"": lambda w: {}}
    if variants is None or (route.params and variant not in variants):
        return [f"{route.key}[{variant}]: no URL arguments for this variant (tests/security/route_args.py)"]
    path = route.path(variants[variant](world))
    body = BODIES.get((route.key, variant, method))
    problems = []
    for column in COLUMNS:
        data = body(world) if body else None
        got = callers.outcome(column, method, path, data)
        if got != expected[column]:
            problems.append(f"{method.upper()} {path} [{route.key}{'[' + variant + ']' if variant else ''}] "
                            f"as {column}: expected {expected[column]}, got {got}")
    return problems


@pytest.fixture(autouse=True)
def _own_rate_limit_counters(settings):
    """Rate limits count per client address in Redis: each test starts with fresh counters."""
    import uuid

    settings.CACHES = {**settings.CACHES, "default": {**settings.CACHES["default"],
                                                      "KEY_PREFIX": f"sec-matrix-{uuid.uuid4().hex[:8]}"}}
    settings.OPEN_DATA = {**settings.OPEN_DATA, "RATE_ADDRESS_PER_MINUTE": 10**6,
                         "RATE_ANONYMOUS_PER_MINUTE": 10**6, "RATE_KEY_PER_MINUTE": 10**6}


@pytest.mark.django_db
# hundreds of requests each: on a busy machine more than the default limit of 300 s (pytest.ini)
@pytest.mark.timeout(900)
@pytest.mark.parametrize("area_name", AREAS)
def test_permission_matrix(area_name):
    world = World()
    callers = Callers(world)
    failures = []
    for route in [r for r in ROUTES if area(r.key) == area_name]:
        for row in rows_for(route):
            if (row[0], row[1], row[2]) in DEFECTS:
                continue
            failures += _check(route, row, world, callers)
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("key", [pytest.param(k, marks=pytest.mark.xfail(strict=True, reason=reason), id="-".join(k))
                                 for k, reason in DEFECTS.items()])
def test_known_defect(key):
    world = World()
    callers = Callers(world)
    route = next(r for r in ROUTES if r.key == key[0])
    row = next(r for r in ROWS if (r[0], r[1], r[2]) == key)
    assert not _check(route, row, world, callers)
