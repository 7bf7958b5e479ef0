"""What the evidence pages show, as queries with a fixed number of queries."""

from django.db.models import Count, Sum

from applications.models import Application, ApplicationSchool
from laeringsmiljo.models import School
from selection.evidence.imports import SPECS
from selection.evidence.models import (
    ComplaintCaseCount,
    ImportKind,
    NationalMean,
    SupervisionFinding,
    SurveyFigure,
    format_school_year,
)
from selection.evidence.services import counted_figures, mean, weighted_share

SURVEY_YEARS_SHOWN = 4


def municipalities_with_evidence(municipalities):
    """The municipalities with their complaint cases and open findings counted, by county: the
    columns the overview shows, each count from one grouped query (not a subquery per
    municipality)."""
    keys = municipalities.values("pk")
    cases = dict(
        ComplaintCaseCount.objects.filter(school__municipality__in=keys)
        .order_by()
        .values_list("school__municipality")
        .annotate(total=Sum("cases"))
    )
    open_findings = dict(
        SupervisionFinding.objects.filter(municipality__in=keys, closed=False)
        .order_by()
        .values_list("municipality")
        .annotate(count=Count("pk"))
    )
    return [
        {
            **row,
            "case_total": cases.get(row["pk"], 0),
            "open_findings": open_findings.get(row["pk"], 0),
        }
        for row in municipalities.order_by("county__number", "name").values(
            "pk", "number", "name", "county__name"
        )
    ]


def municipality_evidence(municipality):
    """One municipality's survey figures per school and school year (the last four years it
    has figures for), the national means of those years, its complaint cases and findings."""
    latest = (
        SurveyFigure.objects.filter(school__municipality=municipality)
        .order_by("-school_year")
        .values_list("school_year", flat=True)
        .first()
    )
    years = []
    if latest is not None:
        years = list(range(latest - SURVEY_YEARS_SHOWN + 1, latest + 1))
    figures = {}
    for figure in SurveyFigure.objects.filter(
        school__municipality=municipality, school_year__in=years
    ).order_by("grade"):
        figures.setdefault((figure.school_id, figure.school_year), []).append(figure)
    schools = list(municipality.schools.order_by("name"))
    survey_rows = [
        {"school": school, "cells": [figures.get((school.pk, year), []) for year in years]}
        for school in schools
    ]
    means = {m.school_year: m for m in NationalMean.objects.filter(school_year__in=years)}
    application, participating = _chart_schools(municipality)
    return {
        "years": [format_school_year(year) for year in years],
        "survey_rows": survey_rows,
        "national_means": [means.get(year) for year in years],
        "bullying_by_year": bullying_by_year(
            municipality=municipality,
            years=years,
            figures=figures,
            means=means,
            school_ids=participating,
        ),
        # The application whose schools the chart draws, or None: all the schools.
        "chart_application": application,
        "cases": ComplaintCaseCount.objects.filter(school__municipality=municipality)
        .select_related("school")
        .order_by("-school_year", "school__name"),
        "findings": SupervisionFinding.objects.filter(municipality=municipality)
        .select_related("school")
        .order_by("closed", "-date"),
    }


def _chart_schools(municipality):
    """The municipality's newest application with schools chosen, and those schools' ids, as
    criterion 1 reads them; (None, None) when it has none: the chart then takes every school."""
    application = (
        Application.objects.filter(municipality=municipality, schools__isnull=False)
        .select_related("cohort")
        .order_by("-cohort__number")
        .first()
    )
    if application is None:
        return None, None
    ids = set(
        ApplicationSchool.objects.filter(application=application).values_list(
            "school_id", flat=True
        )
    )
    return application, ids


def bullying_by_year(*, municipality, years, figures, means, school_ids=None):
    """Per school year, the schools together against the national figure: the share bullied
    weighted by respondents over the figures that count (as criterion 1 counts them: not
    suppressed, the all-grades row where a school has one), or «suppressed» where the schools
    have figures that year and every one is suppressed, and whether some were suppressed;
    and the national figure (Udir's published one, otherwise the computed mean) with whether
    it is published. The schools are those of `school_ids` (an application's), or every
    school of the municipality."""
    chosen = SurveyFigure.objects.filter(school__municipality=municipality, school_year__in=years)
    if school_ids is not None:
        chosen = chosen.filter(school_id__in=school_ids)
    sums = {
        row["school_year"]: row
        for row in counted_figures(chosen)
        .values("school_year")
        .annotate(weighted=Sum(weighted_share()), respondents=Sum("respondents"))
        .order_by()
    }
    counted = {
        key: found for key, found in figures.items() if school_ids is None or key[0] in school_ids
    }
    has_figures = {year for _school, year in counted}
    partly = {
        year
        for (_school, year), found in counted.items()
        if any(figure.suppressed for figure in found)
    }
    rows = []
    for year in years:
        row = sums.get(year)
        share = mean(row["weighted"] or 0, row["respondents"] or 0) if row else None
        national = means.get(year)
        rows.append(
            {
                "year": year,
                "label": format_school_year(year),
                "share": share,
                "respondents": row["respondents"] if share is not None else None,
                "suppressed": share is None and year in has_figures,
                "partly_suppressed": share is not None and year in partly,
                "national": national.value if national is not None else None,
                "national_published": national is not None and national.is_published,
            }
        )
    return rows


def import_template_rows(*, kind, municipalities):
    """The columns the importer reads for this kind, and for figures per school a row for every
    school of the municipalities, with what the registry knows filled in."""
    columns = SPECS[kind].columns
    rows = []
    if kind != ImportKind.FINDINGS:
        schools = (
            School.objects.filter(municipality__in=municipalities)
            .select_related("municipality")
            .order_by("municipality__number", "name")
        )
        for school in schools:
            known = {
                "orgnr": school.organisation_number,
                "name": school.name,
                "municipality": school.municipality.number,
            }
            rows.append([known.get(column.key, "") for column in columns])
    return columns, rows
