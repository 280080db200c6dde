"""The phrase catalogue: every text a customer reads or hears, in the three languages.

The seeds' standard phrases (您好 請講 謝謝 抱歉 再見; 001, 002) are the vocabulary. One place,
so that tickets, the kiosk, the display and the announcements say the same thing the same way.
Placeholders use str.format names.
"""

from __future__ import annotations

from datetime import datetime

from kiosk.domain import LANGUAGES

PHRASES: dict[str, dict[str, str]] = {
    "welcome": {"zh-Hant": "您好，歡迎光臨", "zh-Hans": "您好，欢迎光临", "en": "Hello, welcome"},
    "choose_service": {
        "zh-Hant": "請選擇您要辦理的業務",
        "zh-Hans": "请选择您要办理的业务",
        "en": "Please choose a service",
    },
    "priority_option": {
        "zh-Hant": "長者、行動不便或需要協助",
        "zh-Hans": "长者、行动不便或需要协助",
        "en": "Elderly, reduced mobility or need help",
    },
    "priority_mark": {"zh-Hant": "優先", "zh-Hans": "优先", "en": "Priority"},
    "your_number": {"zh-Hant": "您的號碼", "zh-Hans": "您的号码", "en": "Your number"},
    "ahead": {"zh-Hant": "前面還有 {n} 位", "zh-Hans": "前面还有 {n} 位", "en": "{n} ahead of you"},
    "estimated_wait": {
        "zh-Hant": "預計等候約 {minutes} 分鐘",
        "zh-Hans": "预计等候约 {minutes} 分钟",
        "en": "About {minutes} min wait",
    },
    "estimated_wait_range": {
        "zh-Hant": "預計等候約 {low}–{high} 分鐘",
        "zh-Hans": "预计等候约 {low}–{high} 分钟",
        "en": "About {low}-{high} min wait",  # ASCII: the printer's own font prints it (no raster)
    },
    "appointment_mark": {"zh-Hant": "預約 {time}", "zh-Hans": "预约 {time}", "en": "Appointment {time}"},
    "estimate_unknown": {"zh-Hant": "等候時間稍後公布", "zh-Hans": "等候时间稍后公布", "en": "Waiting time to follow"},
    "please_watch": {
        "zh-Hant": "請留意叫號，謝謝",
        "zh-Hans": "请留意叫号，谢谢",
        "en": "Please watch for your number. Thank you",
    },
    "scan_status": {"zh-Hant": "掃描查看排隊進度", "zh-Hans": "扫描查看排队进度", "en": "Scan to follow your place"},
    "issued_at": {"zh-Hant": "取號時間 {time}", "zh-Hans": "取号时间 {time}", "en": "Issued {time}"},
    "printer_problem": {
        "zh-Hant": "抱歉，號碼單未能列印。您的號碼已登記，請記下號碼或掃描二維碼。",
        "zh-Hans": "抱歉，号码单未能打印。您的号码已登记，请记下号码或扫描二维码。",
        "en": "Sorry, the ticket could not be printed. Your number is registered: please note it or scan the code.",
    },
    "closed": {
        "zh-Hant": "很抱歉，今天的服務時間已結束",
        "zh-Hans": "很抱歉，今天的服务时间已结束",
        "en": "Sorry, we are closed for today",
    },
    "service_closed": {
        "zh-Hant": "此業務現在暫停辦理",
        "zh-Hans": "此业务现在暂停办理",
        "en": "This service is not offered now",
    },
    "opens_at": {"zh-Hant": "下次辦理時間：{when}", "zh-Hans": "下次办理时间：{when}", "en": "Next opening: {when}"},
    "call": {  # {counter}: the counter's configured name in this language ("3號櫃台", "Window C")
        "zh-Hant": "請 {number} 號到 {counter}",
        "zh-Hans": "请 {number} 号到 {counter}",
        "en": "Number {number}, please go to {counter}",
    },
    "apology": {
        "zh-Hant": "對不起，讓您久等了",
        "zh-Hans": "对不起，让您久等了",
        "en": "Sorry to have kept you waiting",
    },
    "issue_failed": {
        "zh-Hant": "抱歉，暫時未能為您取號。請到櫃台，同事會為您辦理。",
        "zh-Hans": "抱歉，暂时未能为您取号。请到柜台，同事会为您办理。",
        "en": "Sorry, we could not give you a number just now. Please ask at the counter.",
    },
    "please_wait": {"zh-Hant": "請稍候…", "zh-Hans": "请稍候…", "en": "One moment please…"},
    "printing": {"zh-Hant": "正在列印號碼單…", "zh-Hans": "正在打印号码单…", "en": "Printing your ticket…"},
    "print_again": {"zh-Hant": "再印一次", "zh-Hans": "再打印一次", "en": "Print again"},
    "take_ticket": {"zh-Hant": "請取走號碼單", "zh-Hans": "请取走号码单", "en": "Please take your ticket"},
    "queue_line": {
        "zh-Hant": "{n} 位等候 · 約 {minutes} 分鐘",
        "zh-Hans": "{n} 位等候 · 约 {minutes} 分钟",
        "en": "{n} waiting · about {minutes} min",
    },
    "no_wait": {"zh-Hant": "無需等候", "zh-Hans": "无需等候", "en": "No wait"},
    "queue_line_unknown": {"zh-Hant": "{n} 位等候", "zh-Hans": "{n} 位等候", "en": "{n} waiting"},
    "hours_line": {"zh-Hant": "服務時間：{hours}", "zh-Hans": "服务时间：{hours}", "en": "Opening hours: {hours}"},
    "back": {"zh-Hant": "返回", "zh-Hans": "返回", "en": "Back"},
    # a booked appointment checked in at the kiosk
    "have_appointment": {"zh-Hant": "我有預約", "zh-Hans": "我有预约", "en": "I have an appointment"},
    "enter_reference": {
        "zh-Hant": "請輸入預約編號，或掃描預約確認碼",
        "zh-Hans": "请输入预约编号，或扫描预约确认码",
        "en": "Type your booking reference, or scan the code on your confirmation",
    },
    "check_in": {"zh-Hant": "報到", "zh-Hans": "报到", "en": "Check in"},
    "delete_digit": {"zh-Hant": "刪除", "zh-Hans": "删除", "en": "Delete"},
    "reference_not_found": {
        "zh-Hant": "查無此預約編號，請再輸入一次，或洽詢櫃台人員",
        "zh-Hans": "查无此预约编号，请再输入一次，或咨询柜台人员",
        "en": "We cannot find this reference. Please type it again, or ask at a counter",
    },
    "appointment_too_early": {
        "zh-Hant": "您預約的時間是 {time}，請於 {opens} 後再來報到，謝謝",
        "zh-Hans": "您预约的时间是 {time}，请于 {opens} 后再来报到，谢谢",
        "en": "Your appointment is at {time}. Please check in from {opens}. Thank you",
    },
    "appointment_too_late": {
        "zh-Hant": "抱歉，您預約的時間 {time} 已過。您仍可以取一般號碼",
        "zh-Hans": "抱歉，您预约的时间 {time} 已过。您仍可以取普通号码",
        "en": "Sorry, your appointment at {time} has passed. You can still take a normal ticket",
    },
    "take_normal_ticket": {
        "zh-Hant": "取號：{service}",
        "zh-Hans": "取号：{service}",
        "en": "Take a ticket: {service}",
    },
    "appointment_cancelled": {
        "zh-Hant": "此預約已取消，請洽詢櫃台人員",
        "zh-Hans": "此预约已取消，请咨询柜台人员",
        "en": "This booking was cancelled. Please ask at a counter",
    },
    "appointment_other_day": {
        "zh-Hant": "您的預約在 {date}，不是今天",
        "zh-Hans": "您的预约在 {date}，不是今天",
        "en": "Your appointment is on {date}, not today",
    },
    "already_checked_in": {
        "zh-Hant": "您已經報到了，這是您的號碼",
        "zh-Hans": "您已经报到了，这是您的号码",
        "en": "You are already checked in. This is your number",
    },
    "now_calling": {"zh-Hant": "現正叫號", "zh-Hans": "现正叫号", "en": "Now calling"},
    "recent_calls": {"zh-Hant": "最近叫號", "zh-Hans": "最近叫号", "en": "Recent calls"},
    "counters": {"zh-Hant": "櫃台", "zh-Hans": "柜台", "en": "Counters"},
    "serving_now": {"zh-Hant": "辦理中 {number}", "zh-Hans": "办理中 {number}", "en": "Serving {number}"},
    "counter_free": {"zh-Hant": "等候叫號", "zh-Hans": "等候叫号", "en": "Ready"},
    "counter_paused": {"zh-Hant": "暫停服務", "zh-Hans": "暂停服务", "en": "Closed for now"},
    "back_at": {"zh-Hant": "{time} 回來", "zh-Hans": "{time} 回来", "en": "Back at {time}"},
    "back_soon": {"zh-Hant": "即將回來", "zh-Hans": "即将回来", "en": "Back shortly"},
    "counter_closed": {"zh-Hant": "已關閉", "zh-Hans": "已关闭", "en": "Closed"},
    "nobody_called": {"zh-Hant": "請留意叫號", "zh-Hans": "请留意叫号", "en": "Please watch for your number"},
    "touch_to_start": {
        "zh-Hant": "請觸碰螢幕取號",
        "zh-Hans": "请触碰屏幕取号",
        "en": "Touch the screen to take a number",
    },
    "opens_today": {
        "zh-Hant": "早安！我們 {time} 開始服務",
        "zh-Hans": "早上好！我们 {time} 开始服务",
        "en": "Good morning! We open at {time}",
    },
    "come_back_then": {
        "zh-Hant": "屆時歡迎取號，謝謝",
        "zh-Hans": "届时欢迎取号，谢谢",
        "en": "You can take a number then. Thank you",
    },
    "closed_today": {
        "zh-Hant": "很抱歉，今天不辦理業務",
        "zh-Hans": "很抱歉，今天不办理业务",
        "en": "Sorry, we are closed today",
    },
    "tomorrow": {"zh-Hant": "明天", "zh-Hans": "明天", "en": "tomorrow"},
    "thanks": {"zh-Hant": "謝謝", "zh-Hans": "谢谢", "en": "Thank you"},
    "goodbye": {"zh-Hant": "再見，請慢走", "zh-Hans": "再见，请慢走", "en": "Goodbye"},
    "greet_alert": {
        "zh-Hant": "有客人到訪，請起立問候",
        "zh-Hans": "有客人到访，请起立问候",
        "en": "A customer is arriving: please stand and greet",
    },
    # the customer's phone (the status page behind the ticket's QR code)
    "phone_title": {"zh-Hant": "排隊進度", "zh-Hans": "排队进度", "en": "Your place in line"},
    "phone_you_are_next": {"zh-Hant": "下一位就是您", "zh-Hans": "下一位就是您", "en": "You are next"},
    "phone_near": {
        "zh-Hant": "快輪到您了，請回到大廳",
        "zh-Hans": "快轮到您了，请回到大厅",
        "en": "Nearly your turn: please come back to the hall",
    },
    "phone_served_at": {
        "zh-Hant": "辦理櫃台：{counters}",
        "zh-Hans": "办理柜台：{counters}",
        "en": "Served at: {counters}",
    },
    "phone_no_counter": {
        "zh-Hant": "目前沒有櫃台辦理此業務，請稍候",
        "zh-Hans": "目前没有柜台办理此业务，请稍候",
        "en": "No counter is serving this just now; please wait",
    },
    "phone_moved": {
        "zh-Hant": "您的號碼已轉到「{service}」，等候位置不變",
        "zh-Hans": "您的号码已转到「{service}」，等候位置不变",
        "en": "Your ticket was moved to {service}; you keep your place",
    },
    "phone_go_to": {"zh-Hant": "請到 {counter}", "zh-Hans": "请到 {counter}", "en": "Please go to {counter}"},
    "phone_its_your_turn": {"zh-Hant": "輪到您了", "zh-Hans": "轮到您了", "en": "It is your turn"},
    "phone_serving": {
        "zh-Hant": "{counter} 正在為您辦理",
        "zh-Hans": "{counter} 正在为您办理",
        "en": "You are being served at {counter}",
    },
    "phone_finished": {
        "zh-Hant": "謝謝您的光臨，再見",
        "zh-Hans": "谢谢您的光临，再见",
        "en": "Thank you for your visit. Goodbye",
    },
    "phone_reply_by": {
        "zh-Hant": "我們會在 {when} 前回覆您",
        "zh-Hans": "我们会在 {when} 前回复您",
        "en": "We will reply to you by {when}",
    },
    "slip_heading": {"zh-Hant": "回覆通知單", "zh-Hans": "回复通知单", "en": "Your reply is on its way"},
    "slip_reference": {
        "zh-Hant": "受理編號 {number}（{date}）",
        "zh-Hans": "受理编号 {number}（{date}）",
        "en": "Reference {number} ({date})",
    },
    "slip_counter": {"zh-Hant": "受理櫃台：{counter}", "zh-Hans": "受理柜台：{counter}", "en": "Taken at {counter}"},
    "slip_keep": {
        "zh-Hant": "請保留此單，查詢時請告知受理編號",
        "zh-Hans": "请保留此单，查询时请告知受理编号",
        "en": "Please keep this slip and quote its reference",
    },
    "slip_scan": {
        "zh-Hant": "掃描可查看回覆時間",
        "zh-Hans": "扫描可查看回复时间",
        "en": "Scan to see when we will reply",
    },
    "phone_no_show": {
        "zh-Hant": "抱歉，叫號時您不在",
        "zh-Hans": "抱歉，叫号时您不在",
        "en": "Sorry, we called your number and missed you",
    },
    "phone_come_back_today": {
        "zh-Hant": "今天內請到任何櫃台，工作人員可以讓您重新排隊",
        "zh-Hans": "今天内请到任何柜台，工作人员可以让您重新排队",
        "en": "Come to any counter today: staff can put you back in line",
    },
    "phone_ticket_of": {
        "zh-Hant": "此號碼單是 {date} 的",
        "zh-Hans": "此号码单是 {date} 的",
        "en": "This ticket was for {date}",
    },
    "phone_day_over": {
        "zh-Hant": "今天的服務已結束，請下次再取號",
        "zh-Hans": "今天的服务已结束，请下次再取号",
        "en": "Service has ended for that day; please take a new ticket next time",
    },
    "phone_alert_me": {"zh-Hant": "輪到前提醒我", "zh-Hans": "轮到前提醒我", "en": "Alert me"},
    "phone_alert_how": {
        "zh-Hant": "前面剩 {n} 位及叫號時，手機會響鈴和震動。請保持此頁開啟。",
        "zh-Hans": "前面剩 {n} 位及叫号时，手机会响铃和震动。请保持此页打开。",
        "en": "Your phone will ring and vibrate at {n} ahead and when you are called. Keep this page open.",
    },
    "phone_alerts_on": {
        "zh-Hant": "提醒已開啟：請保持此頁開啟",
        "zh-Hans": "提醒已开启：请保持此页打开",
        "en": "Alert on: keep this page open",
    },
    "phone_live": {"zh-Hant": "即時更新", "zh-Hans": "实时更新", "en": "Updates live"},
    "phone_reconnecting": {
        "zh-Hant": "連線中斷，正在重新連線…",
        "zh-Hans": "连接中断，正在重新连接…",
        "en": "Connection lost, reconnecting…",
    },
    "phone_updated": {"zh-Hant": "更新於 {time}", "zh-Hans": "更新于 {time}", "en": "Updated {time}"},
    "phone_ok": {"zh-Hant": "知道了", "zh-Hans": "知道了", "en": "OK"},
    "phone_language": {"zh-Hant": "語言", "zh-Hans": "语言", "en": "Language"},
    "phone_not_found": {
        "zh-Hant": "找不到此號碼單",
        "zh-Hans": "找不到此号码单",
        "en": "This ticket cannot be found",
    },
    "text_near": {
        "zh-Hant": "{number}：前面還有 {n} 位，請回到大廳",
        "zh-Hans": "{number}：前面还有 {n} 位，请回到大厅",
        "en": "{number}: {n} ahead of you, please come back to the hall",
    },
    "text_next": {
        "zh-Hant": "{number}：下一位就是您，請回到大廳",
        "zh-Hans": "{number}：下一位就是您，请回到大厅",
        "en": "{number}: you are next, please come back to the hall",
    },
    "text_called": {
        "zh-Hant": "{number}：輪到您了，請到 {counter}",
        "zh-Hans": "{number}：轮到您了，请到 {counter}",
        "en": "{number}: your turn, please go to {counter}",
    },
    "phone_text_me": {"zh-Hant": "用簡訊通知我", "zh-Hans": "用短信通知我", "en": "Text me"},
    "phone_text_number": {"zh-Hant": "手機號碼", "zh-Hans": "手机号码", "en": "Mobile number"},
    "phone_text_how": {
        "zh-Hant": "前面剩 {n} 位及叫號時各發一則簡訊。號碼在您的號碼單結束時刪除。",
        "zh-Hans": "前面剩 {n} 位及叫号时各发一条短信。号码在您的号码单结束时删除。",
        "en": "One text at {n} ahead and one at your call. The number is deleted when your ticket ends.",
    },
    "phone_text_to": {"zh-Hant": "將發簡訊到 {to}", "zh-Hans": "将发短信到 {to}", "en": "We will text {to}"},
    "phone_text_bad": {
        "zh-Hant": "請輸入 6 至 15 位數字的手機號碼",
        "zh-Hans": "请输入 6 至 15 位数字的手机号码",
        "en": "Please enter a mobile number of 6 to 15 digits",
    },
    "phone_number": {"zh-Hant": "號碼 {number}", "zh-Hans": "号码 {number}", "en": "Number {number}"},
}


def phrase(key: str, lang: str, **values: object) -> str:
    """The phrase `key` in `lang` (falls back to Traditional Chinese), with values filled in."""
    entry = PHRASES[key]
    text = entry.get(lang) or entry["zh-Hant"]
    return text.format(**values) if values else text


WEEKDAYS = {"zh-Hant": "一二三四五六日", "zh-Hans": "一二三四五六日"}
EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def when_words(when: datetime, now: datetime, lang: str) -> str:
    """A coming time as a customer says it: "09:00" today, "tomorrow 09:00", else the weekday
    and the date in words ("Monday 30 November, 09:00"; "11月30日（星期一）09:00"), never 11-30."""
    hm = f"{when:%H:%M}"
    days = (when.date() - now.date()).days
    if days == 0:
        return hm
    if days == 1:
        return f"{phrase('tomorrow', lang)} {hm}"
    return date_words(when, lang)


def date_words(when: datetime, lang: str) -> str:
    """The weekday, the date in words and the time: what paper kept for days must say."""
    hm = f"{when:%H:%M}"
    if lang == "en":
        return f"{EN_WEEKDAYS[when.weekday()]} {when.day} {EN_MONTHS[when.month - 1]}, {hm}"
    return f"{when.month}月{when.day}日（星期{WEEKDAYS[lang][when.weekday()]}）{hm}"


def missing_translations() -> list[str]:
    return [f"{key}:{lang}" for key, entry in PHRASES.items() for lang in LANGUAGES if not entry.get(lang)]
