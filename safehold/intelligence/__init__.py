"""Partner intelligence (issue 16, item 1): any partner submits what it knows; the police
intelligence role grades it with the 3x5x2 model, sanitises it and records what was done.

The submitter's agency sees the status only; other partners see the sanitised text, its grading
and handling code once graded, under the handling code's conditions; the original stays with
the police (ADR 0049).
"""
