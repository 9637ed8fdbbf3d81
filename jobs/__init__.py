"""Background work: RQ jobs and the Canvas client, the only code that calls Canvas.

Blueprints use `jobs.enqueue` only; everything else here runs in the worker.
"""
