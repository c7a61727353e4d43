#!/bin/bash
# Installs Docker and runs the Spring Boot image on port 8080 (seed 003's next step).
set -euo pipefail
dnf install -y docker
systemctl enable --now docker
