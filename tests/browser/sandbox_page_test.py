#!/usr/bin/python3
"""The sandbox chat page in a real browser (headless Chromium through chromedriver), against the
real bot and its embedded sandbox, as a newcomer uses them after `make run`.

Everything is done through the page (typing, clicking); every wait is on something the page shows
(a button, a picture, a message), never a fixed sleep. A full-page screenshot is saved for people
to look at.

usage: sandbox_page_test.py BOT_BINARY SHARE_DIR SCREENSHOT.png
Needs Debian's chromium, chromium-driver and python3-selenium (`make deps` installs them).
"""

import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

XSS_PLACE = "<img src=x onerror=window.__pwned=1>"
# Status messages stand while a turn works and are deleted or edited at its end.
STATUS_MARKS = ("🔍 Ищу", "💾", "⏳")


class BotRun:
    """`nocturna-bot run` with no token: the bot and its embedded sandbox on an ephemeral port."""

    def __init__(self, binary, share_dir):
        self.dir = tempfile.mkdtemp(prefix="nocturna-browser-")
        env = dict(os.environ)
        for name in list(env):
            if name.startswith(("TELEGRAM_", "OPENROUTER_", "NOCTURNA_API", "CHART_SERVICE")):
                del env[name]
        env.update({
            "TELEGRAM_BOT_TOKEN": "", "SANDBOX_PORT": "0", "HEALTH_PORT": "0",
            "DATA_DIR": os.path.join(self.dir, "data"), "LOG_DIR": os.path.join(self.dir, "logs"),
            "NOCTURNA_SHARE_DIR": share_dir, "LOG_LEVEL": "info",
        })
        self.proc = subprocess.Popen([binary, "run"], cwd=self.dir, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.url = None
        self.output = []
        found = threading.Event()

        def read():
            for line in self.proc.stdout:
                self.output.append(line)
                m = re.search(r"Sandbox chat page: (http://127\.0\.0\.1:\d+)/", line)
                if m and not found.is_set():
                    self.url = m.group(1)
                    found.set()
            found.set()

        threading.Thread(target=read, daemon=True).start()
        if not found.wait(60) or self.url is None:
            self.stop()
            raise RuntimeError("the bot printed no sandbox URL:\n" + "".join(self.output))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1100,1400", "--lang=ru"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


class Page:
    def __init__(self, driver, timeout=30):
        self.d = driver
        self.timeout = timeout

    def until(self, what, condition):
        # The page rebuilds the log whenever the transcript changes, so an element found a moment
        # ago can be gone: such a look is simply made again.
        try:
            return WebDriverWait(self.d, self.timeout, poll_frequency=0.05,
                                 ignored_exceptions=[StaleElementReferenceException]).until(
                                     lambda d: condition())
        except TimeoutException:
            raise AssertionError("timed out waiting for " + what + "; the chat shows:\n" + self.log_text())

    def click(self, what, find):
        """Clicks the element `find()` returns, looking again if the page rebuilt it meanwhile."""
        def clicked():
            element = find()
            if not element:
                return False
            element.click()
            return True
        self.until(what, clicked)

    def log_text(self):
        try:
            return "\n---\n".join(m.text for m in self.d.find_elements(By.CSS_SELECTOR, "#log .msg"))
        except StaleElementReferenceException:
            return self.log_text()

    def bot_messages(self):
        return self.d.find_elements(By.CSS_SELECTOR, "#log .msg.bot")

    def settled(self):
        """No status message stands (the bot's turn is over)."""
        return not any(m.text.startswith(STATUS_MARKS) for m in self.bot_messages())

    def type(self, text):
        box = self.d.find_element(By.ID, "text")
        box.clear()
        box.send_keys(text)
        box.send_keys(Keys.ENTER)

    def say(self, text, answered):
        """Types `text`, then waits until the bot's answer satisfies `answered()`."""
        before = len(self.bot_messages())
        self.type(text)
        return self.until("the answer to «%s»" % text,
                          lambda: len(self.bot_messages()) > before and self.settled() and answered())

    def inline_button(self, label):
        found = None
        for b in self.d.find_elements(By.CSS_SELECTOR, "#log .msg.bot .kbd button"):
            if b.text.strip() == label:
                found = b  # the newest one
        return found

    def reply_button(self, containing):
        """A button of the reply keyboard under the input line."""
        for b in self.d.find_elements(By.CSS_SELECTOR, "#replykbd button"):
            if containing in b.text:
                return b
        return None


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def run(binary, share_dir, screenshot):
    bot = BotRun(binary, share_dir)
    driver = None
    try:
        driver = browser()
        page = Page(driver)
        chat = random.randint(100000, 999999)
        driver.get("%s/?chat=%d" % (bot.url, chat))

        # The address picks the chat.
        page.until("the chat field", lambda: driver.find_element(By.ID, "chat").get_attribute("value") == str(chat))
        page.until("the page to show the chat", lambda: driver.execute_script("return shownChat;") == chat)

        # /start: the title is bold, as Telegram shows <b>.
        page.say("/start", lambda: page.bot_messages()[-1].find_elements(By.TAG_NAME, "b"))
        bold = page.bot_messages()[-1].find_elements(By.TAG_NAME, "b")[0]
        check("Nocturna" in bold.text, "the first bold text is the title: " + bold.text)
        weight = int(driver.execute_script("return getComputedStyle(arguments[0]).fontWeight;", bold))
        check(weight >= 600, "the title is drawn bold (font-weight %d)" % weight)
        check("<b>" not in page.bot_messages()[-1].text, "no tags shown as text")

        # The chat list now knows the chat and shows it selected.
        page.until("the chat list", lambda: driver.execute_script("return $('chats').value;") == str(chat))

        # /natal: date, time, a hostile place, «Москва» → «Москва, Россия» → «Да».
        page.say("/natal", lambda: "ДД.ММ.ГГГГ" in page.bot_messages()[-1].text)
        page.say("15.03.1990", lambda: page.inline_button("Не знаю время"))
        page.say("14:30", lambda: page.reply_button("📍"))

        page.say(XSS_PLACE, lambda: True)
        mine = driver.find_elements(By.CSS_SELECTOR, "#log .msg.user")
        check(any(m.text.startswith(XSS_PLACE) for m in mine), "the hostile place is shown as text")
        check(not driver.find_elements(By.CSS_SELECTOR, "#log img[src='x']"), "no <img> made from user text")
        check(driver.execute_script("return typeof window.__pwned;") == "undefined", "no script ran")

        page.say("Москва", lambda: page.inline_button("Москва, Россия"))
        before = len(page.bot_messages())
        page.click("the city button", lambda: page.inline_button("Москва, Россия"))
        page.until("the confirmation", lambda: page.settled() and page.inline_button("Да"))
        page.click("«Да»", lambda: page.inline_button("Да"))
        page.until("the saved message", lambda: page.settled() and "/my_natal" in page.bot_messages()[-1].text
                   and len(page.bot_messages()) >= before)

        # /my_natal: the chart picture (800 px wide) and the report under it.
        def chart_and_report():
            msgs = page.bot_messages()
            for i, m in enumerate(msgs):
                imgs = m.find_elements(By.TAG_NAME, "img")
                if imgs and driver.execute_script(
                        "return arguments[0].complete && arguments[0].naturalWidth;", imgs[0]) == 800:
                    return i + 1 < len(msgs) and len(msgs[-1].text) > 200
            return False

        page.say("/my_natal", chart_and_report)
        report = page.bot_messages()[-1].text
        check("Солнце" in report, "the report names the Sun: " + report[:200])

        # The reply keyboard's location button sends a location the bot answers.
        page.say("/natal", lambda: "ДД.ММ.ГГГГ" in page.bot_messages()[-1].text)
        page.say("01.02.1985", lambda: page.inline_button("Не знаю время"))
        page.say("08:15", lambda: page.reply_button("📍"))
        before = len(page.bot_messages())
        page.click("the location button", lambda: page.reply_button("📍"))
        page.until("the location and its answer",
                   lambda: any(m.text.startswith("📍 55.7558") for m in driver.find_elements(By.CSS_SELECTOR, "#log .msg.user"))
                   and len(page.bot_messages()) > before and page.settled() and page.inline_button("Да"))
        page.click("«Да»", lambda: page.inline_button("Да"))
        page.until("the saved message", lambda: page.settled() and "/my_natal" in page.bot_messages()[-1].text)

        # A full-page picture for people: the log unrolled to its full height.
        height = driver.execute_script(
            "document.body.style.height='auto'; const l=$('log'); l.style.overflow='visible';"
            "return document.documentElement.scrollHeight;")
        driver.set_window_size(1100, min(int(height) + 200, 16000))
        driver.save_screenshot(screenshot)
        print("browser test: passed; screenshot", screenshot)
    except Exception:
        sys.stdout.write("".join(bot.output[-40:]))
        raise
    finally:
        if driver is not None:
            driver.quit()
        bot.stop()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    run(*sys.argv[1:])
