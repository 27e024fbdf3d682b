#!/usr/bin/env bash
# Debian packages some features need: Tesseract with the Swedish and orientation models (OCR
# of scanned PDF pages) and Chromium with its driver (the review page's browser test).
# Installs what is missing when apt-get is usable; otherwise says what is missing and carries on, because
# casebook itself runs without them (with a warning).
set -u
need=()
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
if command -v tesseract >/dev/null 2>&1 && ! tesseract --list-langs 2>/dev/null | grep -qx swe; then
  need+=(tesseract-ocr-swe)
elif ! command -v tesseract >/dev/null 2>&1; then
  need+=(tesseract-ocr-swe)
fi
# The orientation model (osd) turns sideways scans upright before OCR.
if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx osd; then
  need+=(tesseract-ocr-osd)
fi
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
[ ${#need[@]} -eq 0 ] && exit 0
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo_cmd=(sudo -n); else
    echo "system-deps: missing ${need[*]} and no root; OCR / browser tests will be skipped" >&2
    exit 0
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: missing ${need[*]} and no apt-get; OCR / browser tests will be skipped" >&2
  exit 0
fi
echo "system-deps: installing ${need[*]}" >&2
"${sudo_cmd[@]}" apt-get update -qq >/dev/null 2>&1 || true
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
  "${need[@]}" fonts-dejavu-core >/dev/null 2>&1 \
  || echo "system-deps: apt-get could not install ${need[*]}; OCR / browser tests will be skipped" >&2
exit 0
