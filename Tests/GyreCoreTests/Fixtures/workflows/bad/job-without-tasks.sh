#!/bin/bash
{{#sbatch}}
#SBATCH {{{.}}}
{{/sbatch}}
echo "forgot the tasks"
