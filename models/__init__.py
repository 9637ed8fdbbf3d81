"""Homeroom's models, one module per area; importing this registers them all."""

from models.auth import User
from models.base import db
from models.courses import Course, Section
from models.gradebook import (
    Assignment,
    AssignmentType,
    CanvasCourseScore,
    CanvasGroup,
    GradebookConfig,
    GradingScale,
    GradingScaleLevel,
    Score,
)
from models.grades import CommentCode, FinalGrade, PeriodWeight, SectionCompletion
from models.lms import CanvasSettings, SyncActivity, SyncState
from models.scheduling import Enrollment
from models.school import MarkingPeriod, School
from models.staff import Staff
from models.students import Student

__all__ = [
    "Assignment",
    "AssignmentType",
    "CanvasCourseScore",
    "CanvasGroup",
    "CanvasSettings",
    "GradebookConfig",
    "GradingScale",
    "GradingScaleLevel",
    "Score",
    "CommentCode",
    "Course",
    "Enrollment",
    "FinalGrade",
    "MarkingPeriod",
    "PeriodWeight",
    "School",
    "Section",
    "SectionCompletion",
    "Staff",
    "Student",
    "SyncActivity",
    "SyncState",
    "User",
    "db",
]
