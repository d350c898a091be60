#!/bin/bash
# Gyre's Slurm job script (a Mustache template). Copy it, edit it to change
# what every job does (e.g. add #SBATCH options or environment set-up), and
# name the copy in the workflow's `executor: {slurm: {template: …}}` (or keep
# it beside the workflow as Templates/slurm/job.sh). gyre fills in:
#   sbatch  the #SBATCH options from the workflow's `executor: {slurm: …}`
#   setup   the workflow's `setup:` lines (module loads, `source …`), verbatim
#   tasks   the commands of this job's tasks, every value shell-quoted; it runs
#           each task in its directory, writes its stdout.log and stderr.log
#           there, and records its exit status for gyre. Keep it last.
{{#sbatch}}
#SBATCH {{{.}}}
{{/sbatch}}
{{#setup}}
{{{.}}}
{{/setup}}
{{{tasks}}}
