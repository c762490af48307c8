"""The --html report in a real browser: headless Chromium driven by Selenium
(Debian's chromium, chromium-driver, python3-selenium). The test follows the
index (by file) to server.cpp's finding and checks that the page shows the
warning and each of its notes, in order, right under the source line
clang-tidy gave for it, and that the check's name links to its docs page."""
import os, re, shutil, sys, tempfile
sys.path.insert(0, os.path.dirname(__file__))
from common import sh, expect, fail, sample_project
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

a, prefix, run_tool, proj, bdir = sample_project(__doc__)
report = os.path.join(a.tmp, "report")
docs = "file://" + os.path.join(os.path.realpath(a.src), "docs") + "/"
r = sh([run_tool, "-p", bdir, "--root", proj, "--no-progress", "--no-cache", "--html", report,
        "--docs-base-uri", docs], cwd=proj, check=False)
expect(r.returncode == 1, "findings: exit 1", r.stderr)

# What clang-tidy said about server.cpp (the text output): the warning and its
# notes, each with its line. The page must show exactly these.
server = os.path.realpath(os.path.join(proj, "src", "server.cpp"))
steps, cur = [], None
for line in r.stdout.splitlines():
    m = re.match(r"^(.*?):(\d+):(\d+): (warning|note): (.*?)(?: \[[\w.,-]+\])?$", line)
    if not m:
        continue
    if m.group(4) == "warning":
        cur = os.path.realpath(m.group(1)) == server
    if cur:
        steps.append((m.group(4), int(m.group(2)), m.group(5)))
expect(len(steps) >= 3 and steps[0][0] == "warning", "server.cpp's finding has notes", r.stdout)
src_lines = open(server).read().splitlines()
expect("std::thread t" in src_lines[steps[0][1] - 1], "the warning is on the thread's line", r.stdout)

profile = tempfile.mkdtemp(prefix="chromium-profile-", dir=a.tmp)
opts = webdriver.ChromeOptions()
opts.binary_location = shutil.which("chromium")
for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--user-data-dir=" + profile):
    opts.add_argument(arg)
# The sanitized suite preloads the ASan runtime for the plugin's clang-tidy;
# chromedriver and Chromium must not inherit it (chromedriver aborts).
for var in ("LD_PRELOAD", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
    os.environ.pop(var, None)
driver = webdriver.Chrome(service=Service(executable_path=shutil.which("chromedriver")), options=opts)
try:
    driver.get("file://" + os.path.join(report, "index.html"))
    summary = driver.find_element(By.CSS_SELECTOR, "p.summary").text
    expect(summary == "2 findings in 2 files", "the index counts 2 findings in 2 files", summary)
    by_check = {row.find_elements(By.TAG_NAME, "td")[0].text: row.find_elements(By.TAG_NAME, "td")[1].text
                for row in driver.find_elements(By.CSS_SELECTOR, "#by-check tr") if row.find_elements(By.TAG_NAME, "td")}
    expect(by_check == {"leak-unjoined-thread": "2"}, "counts by check", str(by_check))
    by_file = {}
    for row in driver.find_elements(By.CSS_SELECTOR, "#by-file tr"):
        tds = row.find_elements(By.TAG_NAME, "td")
        if tds:
            by_file[tds[0].text] = (tds[1].text, tds[0].find_element(By.TAG_NAME, "a"))
    expect({k: v[0] for k, v in by_file.items()} == {"src/server.cpp": "1", "include/spawn.h": "1"},
           "counts by file", str(by_file))
    # Follow the index: the file's row, then the finding listed under it.
    by_file["src/server.cpp"][1].click()
    anchor = driver.current_url.split("#", 1)[1]
    section = driver.find_element(By.ID, anchor)
    link = section.find_element(By.CSS_SELECTOR, "a.finding")
    expect(link.text == "src/server.cpp:%d" % steps[0][1], "the file's section lists the finding", link.text)
    link.click()
    expect(re.search(r"/findings/\d+\.html$", driver.current_url), "a finding page opens", driver.current_url)
    expect(driver.find_element(By.CSS_SELECTOR, "h1.message").text == steps[0][2], "the page's title is the warning")
    doc = driver.find_element(By.CSS_SELECTOR, "a.check-doc")
    href = doc.get_attribute("href")
    expect(doc.text == "leak-unjoined-thread" and href == docs + "leak-unjoined-thread.md"
           and os.path.isfile(href[len("file://"):]), "the check links to its docs page", href)
    # Every step of the path, in order, right under the source line it names.
    anns = driver.find_elements(By.CSS_SELECTOR, "table.src tr.ann")
    expect(len(anns) == len(steps), "%d annotations for %d steps" % (len(anns), len(steps)))
    shown = []
    for ann in anns:
        expect(ann.is_displayed(), "the annotation is visible")
        line_row = driver.execute_script(
            "var r = arguments[0].previousElementSibling;"
            "while (r && !r.classList.contains('line')) r = r.previousElementSibling; return r;", ann)
        if line_row is None:
            fail("an annotation without a source line above it")
        ln = int(line_row.find_element(By.CSS_SELECTOR, "td.ln").text)
        code = line_row.find_element(By.CSS_SELECTOR, "td.code").text
        expect(code.strip() == src_lines[ln - 1].strip(), "line %d shows the source text" % ln, code)
        kind, _, msg = ann.find_element(By.CSS_SELECTOR, "td.msg").text.partition(": ")
        kind = re.sub(r"^\d+\s*", "", kind)
        shown.append((kind, ln, re.sub(r" \(col \d+\)$", "", msg)))
    # The page groups steps by line; each step must be at its own line.
    expect(sorted(shown) == sorted(steps), "warning and notes at their lines",
           "shown: %s\nexpected: %s" % (shown, steps))
    expect(shown[0] == steps[0] or steps[0] in shown, "the warning is shown")
    # The path list keeps clang-tidy's order.
    path = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "ol.path li")]
    expect([p.split(" ", 2)[1].rstrip(":") for p in path] == [s[0] for s in steps]
           and all(p.startswith("src/server.cpp:%d " % s[1]) for p, s in zip(path, steps)),
           "the path lists the steps in order", "\n".join(path))
finally:
    driver.quit()
print("html test ok")
