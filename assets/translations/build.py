"""Staff-screen translations: the source table below -> kiosk_<lang>.ts -> kiosk_<lang>.qm.

    python assets/translations/build.py      (needs pyside6-lrelease, from PySide6)

English is the source language. tests/test_translations.py checks that every t("...") in ui/
has a translation here in both Chinese scripts, and that the compiled .qm files translate.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
CONTEXT = "kiosk"

# English: (Traditional Chinese, Simplified Chinese)
TEXTS: dict[str, tuple[str, str]] = {
    # counter panel
    "Call next": ("叫下一位", "叫下一位"),
    "Recall": ("重新叫號", "重新叫号"),
    "Start": ("開始辦理", "开始办理"),
    "Finish": ("辦理完成", "办理完成"),
    "No-show": ("過號未到", "过号未到"),
    "Transfer…": ("轉介…", "转介…"),
    "Pause…": ("暫停…", "暂停…"),
    "Pause": ("暫停", "暂停"),
    "Resume": ("恢復服務", "恢复服务"),
    "Open": ("服務中", "服务中"),
    "Paused": ("暫停中", "暂停中"),
    "back at": ("回來時間", "回来时间"),
    "Current customer": ("目前客戶", "目前客户"),
    "No customer at the counter": ("櫃台目前沒有客戶", "柜台目前没有客户"),
    "called, walking to the counter": ("已叫號，前來櫃台中", "已叫号，前来柜台中"),
    "being served": ("辦理中", "办理中"),
    "priority": ("優先", "优先"),
    "recalled": ("重叫", "重叫"),
    "transferred": ("已轉介", "已转介"),
    "Waited": ("已等候", "已等候"),
    "longer than the target: apologise": ("超過目標時間，請致歉", "超过目标时间，请致歉"),
    "Waiting": ("等候人數", "等候人数"),
    "(not at this counter)": ("（本櫃台不辦理）", "（本柜台不办理）"),
    "Nobody is waiting for this counter.": ("目前沒有客戶等候本櫃台。", "目前没有客户等候本柜台。"),
    "Cannot reach the queue. Your presses are not lost: try again in a moment.": (
        "無法連線排隊系統。您的操作不會遺失，請稍後再試。",
        "无法连接排队系统。您的操作不会丢失，请稍后再试。",
    ),
    "Reason (shown on the display)": ("原因（顯示在叫號屏）", "原因（显示在叫号屏）"),
    "Back in": ("預計多久後回來", "预计多久后回来"),
    "Greeted": ("已問候", "已问候"),
    "Nobody has greeted the customer at the door yet": ("門口的客人尚無人問候", "门口的客人尚无人问候"),
    "Greeted by counter": ("已由櫃台問候：", "已由柜台问候："),
    "Nobody has greeted yet: whoever is free, please go": (
        "尚無人回應：請有空的同事前往接待",
        "尚无人回应：请有空的同事前往接待",
    ),
    "Reprint…": ("補印…", "补打…"),
    "Reprint a ticket": ("補印號碼單", "补打号码单"),
    "Ticket number (e.g. A012)": ("號碼（例如 A012）", "号码（例如 A012）"),
    "Ticket {n} is printing again at the kiosk": ("號碼單 {n} 正在取號機補印", "号码单 {n} 正在取号机补打"),
    "OK": ("確定", "确定"),
    "Cancel": ("取消", "取消"),
    "Dismiss": ("知道了", "知道了"),
    "Ticket printer": ("號碼單印表機", "号码单打印机"),
    "out of paper": ("缺紙", "缺纸"),
    "cover open": ("機蓋未關", "机盖未关"),
    "not answering": ("沒有回應", "没有响应"),
    "not found: check its cable and power": ("找不到：請檢查連接線和電源", "找不到：请检查连接线和电源"),
    "reports an error": ("發生故障", "发生故障"),
    "paper running low: change the roll soon": ("紙快用完：請盡快換紙", "纸快用完：请尽快换纸"),
    "The clock is not synchronised: tickets for an earlier day than the last are refused. Check the network time.": (
        "時鐘尚未校正：早於最後營業日的號碼單將被拒絕。請檢查網路校時。",
        "时钟尚未校正：早于最后营业日的号码单将被拒绝。请检查网络校时。",
    ),
    "Sensor": ("感應器", "感应器"),
    "not reporting: greetings from it are missed until it works again": (
        "沒有回報：修復前它偵測的到訪不會提醒",
        "没有回报：修复前它检测的到访不会提醒",
    ),
    "could not start: check its cable and settings": ("無法啟動：請檢查連接線和設定", "无法启动：请检查连接线和设置"),
    "reports someone all the time: stuck? It is ignored until it reports empty": (
        "一直回報有人：可能卡住，回報無人前將忽略它",
        "一直回报有人：可能卡住，回报无人前将忽略它",
    ),
    "opens and closes all the time: loose? It is ignored until it is quiet": (
        "不停開關：可能鬆脫，安靜前將忽略它",
        "不停开关：可能松脱，安静前将忽略它",
    ),
    "Ticket kiosk": ("取號機", "取号机"),
    "could not issue a ticket; the customer was asked to come to the counter": (
        "未能取號，已請客戶到櫃台辦理",
        "未能取号，已请客户到柜台办理",
    ),
    "needs attention": ("需要處理", "需要处理"),
    "ticket {n} was not printed; it is in line. Reprint it once the printer works.": (
        "號碼單 {n} 未能印出，號碼仍有效。印表機恢復後請補印。",
        "号码单 {n} 未能打印，号码仍有效。打印机恢复后请补打。",
    ),
    # refusals from the queue (ui/refusals.py)
    "There is no customer at this counter.": ("本櫃台目前沒有客戶。", "本柜台目前没有客户。"),
    "Ticket {number} is {state}: this cannot be done now.": (
        "號碼 {number} 目前為「{state}」，無法進行此操作。",
        "号码 {number} 目前为“{state}”，无法进行此操作。",
    ),
    "This counter is paused: resume it before calling.": (
        "本櫃台暫停中，請先恢復服務再叫號。",
        "本柜台暂停中，请先恢复服务再叫号。",
    ),
    "Another counter took that customer at the same moment: press again.": (
        "另一個櫃台同時叫了這位客戶，請再按一次。",
        "另一个柜台同时叫了这位客户，请再按一次。",
    ),
    "Ticket {number} is already in {service}.": (
        "號碼 {number} 已在「{service}」。",
        "号码 {number} 已在“{service}”。",
    ),
    "Choose or type a reason for the pause.": ("請選擇或輸入暫停原因。", "请选择或输入暂停原因。"),
    "Ticket {number} is still at the counter: finish or transfer it first.": (
        "號碼 {number} 仍在櫃台，請先完成或轉介。",
        "号码 {number} 仍在柜台，请先完成或转介。",
    ),
    "The expected return time is in the past.": ("預計回來時間已過。", "预计回来时间已过。"),
    "The expected return is more than {hours} h away: pause without a return time.": (
        "預計回來時間超過 {hours} 小時，請不填回來時間。",
        "预计回来时间超过 {hours} 小时，请不填回来时间。",
    ),
    "This counter is not paused.": ("本櫃台沒有暫停。", "本柜台没有暂停。"),
    "Ticket {number} is no longer in line: there is nothing to reprint.": (
        "號碼 {number} 已不在排隊中，無需補印。",
        "号码 {number} 已不在排队中，无需补打。",
    ),
    "Ticket {number} was not issued at a kiosk, so no kiosk can print it.": (
        "號碼 {number} 不是由取號機發出，沒有取號機可以補印。",
        "号码 {number} 不是由取号机发出，没有取号机可以补打。",
    ),
    "The clock says {day} but tickets exist for {newest}: set the clock (network time) first.": (
        "時鐘顯示 {day}，但已有 {newest} 的號碼單：請先校正時間（網路校時）。",
        "时钟显示 {day}，但已有 {newest} 的号码单：请先校正时间（网络校时）。",
    ),
    "There is no ticket {number} today.": ("今天沒有號碼 {number}。", "今天没有号码 {number}。"),
    # manager view
    "Reprints": ("補印次數", "补打次数"),
    "Reprint selected ticket": ("補印所選號碼單", "补打所选号码单"),
    "Select a ticket in the log first": ("請先在記錄中選擇號碼單", "请先在记录中选择号码单"),
    "Only today's tickets can be reprinted": ("只可補印今天的號碼單", "只可补打今天的号码单"),
    "Manager view": ("主管檢視", "主管查看"),
    "Staff PIN": ("員工密碼", "员工密码"),
    "Manager PIN": ("主管密碼", "主管密码"),
    "Unlock": ("解鎖", "解锁"),
    "Wrong PIN": ("密碼錯誤", "密码错误"),
    "Only a manager can open this view": ("只有主管可開啟此畫面", "只有主管可打开此画面"),
    "The PIN cannot be checked now: the queue does not answer": (
        "暫時無法核對密碼：排隊系統沒有回應",
        "暂时无法核对密码：排队系统没有响应",
    ),
    "Too many wrong PINs. Try again in {s} s.": (
        "密碼錯誤次數過多，請於 {s} 秒後再試。",
        "密码错误次数过多，请于 {s} 秒后再试。",
    ),
    "From": ("由", "由"),
    "To": ("至", "至"),
    "Service": ("業務", "业务"),
    "Counter": ("櫃台", "柜台"),
    "Number": ("號碼", "号码"),
    "All": ("全部", "全部"),
    "Show": ("查詢", "查询"),
    "Export CSV…": ("匯出 CSV…", "导出 CSV…"),
    "Daily PDF report…": ("每日 PDF 報表…", "每日 PDF 报表…"),
    "Tickets": ("號碼單", "号码单"),
    "Mean wait": ("平均等候", "平均等候"),
    "Median wait": ("等候中位數", "等候中位数"),
    "90% waited less than": ("九成等候少於", "九成等候少于"),
    "Called within target": ("目標時間內叫號", "目标时间内叫号"),
    "Mean service time": ("平均辦理時間", "平均办理时间"),
    "No-shows": ("過號未到", "过号未到"),
    "Transfers": ("轉介", "转介"),
    "Still open": ("尚未完成", "尚未完成"),
    "Mean wait by hour of issue (minutes)": ("各時段平均等候（分鐘）", "各时段平均等候（分钟）"),
    "min": ("分鐘", "分钟"),
    "s": ("秒", "秒"),
    "waiting": ("等候中", "等候中"),
    "called": ("已叫號", "已叫号"),
    "serving": ("辦理中", "办理中"),
    "finished": ("已完成", "已完成"),
    "no_show": ("過號未到", "过号未到"),
    "Issued": ("取號", "取号"),
    "Called": ("叫號", "叫号"),
    "Finished": ("完成", "完成"),
    "State": ("狀態", "状态"),
    "Wait (min)": ("等候（分鐘）", "等候（分钟）"),
    "Saved": ("已儲存", "已保存"),
    "Waiting-time report": ("等候時間報表", "等候时间报表"),
    "no tickets in this period": ("此期間沒有號碼單", "此期间没有号码单"),
    "Arrivals": ("到訪人數", "到访人数"),
    "Median time to greet": ("問候時間中位數", "问候时间中位数"),
    "Greeted within target": ("目標時間內問候", "目标时间内问候"),
    "Not greeted": ("未獲問候", "未获问候"),
    "Left without a ticket": ("未取號離開", "未取号离开"),
    # the reception log
    "Reopen": ("重新開啟", "重新开启"),
    "Select a replied follow-up first": ("請先選擇一項已回覆事項", "请先选择一项已回复事项"),
    "Say in the note why it is opened again": ("請在備註說明重新開啟的原因", "请在备注说明重新开启的原因"),
    "Opened again": ("已重新開啟", "已重新开启"),
    "Due": ("回覆期限", "回复期限"),
    "Open follow-ups": ("待回覆", "待回复"),
    "Replied": ("已回覆", "已回复"),
    "(late)": ("（逾時）", "（逾时）"),
    "Apply": ("套用", "应用"),
    "Bring back a no-show…": ("過號客戶回隊…", "过号客户回队…"),
    "Call a number…": ("指定叫號…", "指定叫号…"),
    "Category": ("來訪類別", "来访类别"),
    "Close the day": ("結束今日營業", "结束今日营业"),
    "Complaint: {n}": ("投訴：{n}", "投诉：{n}"),
    "Complaints": ("投訴", "投诉"),
    "Phone alerts": ("手機提醒", "手机提醒"),
    "Log a call or letter…": ("登記來電或來函…", "登记来电或来函…"),
    "Log": ("登記", "登记"),
    "How": ("方式", "方式"),
    "Phone": ("電話", "电话"),
    "Letter": ("來函", "来函"),
    "E-mail": ("電郵", "电邮"),
    "Walk-in": ("來訪", "来访"),
    "Praise": ("表揚", "表扬"),
    "What the customer said": ("客戶反映的內容", "客户反映的内容"),
    "Reply promised": ("需回覆", "需回复"),
    "Logged.": ("已登記。", "已登记。"),
    "On the follow-up board.": ("已列入待回覆事項。", "已列入待回复事项。"),
    "No-shows: alerted / not": ("過號率：有提醒／無提醒", "过号率：有提醒／无提醒"),
    "Appointments": ("預約", "预约"),
    "Check in a booking…": ("預約報到…", "预约报到…"),
    "Check in a booking": ("預約報到", "预约报到"),
    "Check in": ("報到", "报到"),
    "Checked in: {n}": ("已報到：{n}", "已报到：{n}"),
    "Booked": ("已預約", "已预约"),
    "Checked in": ("已報到", "已报到"),
    "Late": ("遲到", "迟到"),  # came after the check-in window (offered a normal ticket)
    "Cancelled": ("已取消", "已取消"),
    "Reference": ("預約編號", "预约编号"),
    "Date": ("日期", "日期"),
    "Move": ("改期", "改期"),
    "Cancel booking": ("取消預約", "取消预约"),
    "Add a booking": ("新增預約", "新增预约"),
    "Booking added": ("已新增預約", "已新增预约"),
    "Booking moved": ("預約已改期", "预约已改期"),
    "Booking cancelled": ("預約已取消", "预约已取消"),
    "No bookings on this day": ("這一天沒有預約", "这一天没有预约"),
    "Did not come": ("未到場", "未到场"),
    # the web manager view while the database is away
    "Try again": ("重試", "重试"),
    "The queue's database cannot be reached right now.": (
        "目前無法連線到排隊系統的資料庫。",
        "目前无法连接到排队系统的数据库。",
    ),
    "This page tries again by itself every few seconds.": ("本頁每隔幾秒會自動重試。", "本页每隔几秒会自动重试。"),
    "What you sent was not saved: send it again in a moment.": (
        "剛才送出的內容沒有儲存，請稍後再送出一次。",
        "刚才提交的内容没有保存，请稍后再提交一次。",
    ),
    # a booking refused (kiosk/refusal_texts.py)
    "Booking {n}: {problem}": ("第 {n} 筆預約：{problem}", "第 {n} 笔预约：{problem}"),
    "There is no service {service} (known: {known}).": (
        "沒有「{service}」這項業務（現有：{known}）。",
        "没有“{service}”这项业务（现有：{known}）。",
    ),
    "The time is not between the years 2000 and 2100.": (
        "時間須在 2000 年至 2100 年之間。",
        "时间须在 2000 年至 2100 年之间。",
    ),
    "{service} is closed at {time}.": ("{service}在 {time} 不辦理。", "{service}在 {time} 不办理。"),
    "Reference {ref} is not 4 to 16 letters and digits.": (
        "預約編號 {ref} 須為 4 至 16 個英文字母或數字。",
        "预约编号 {ref} 须为 4 至 16 个英文字母或数字。",
    ),
    "The name is longer than 80 characters.": ("姓名超過 80 個字。", "姓名超过 80 个字。"),
    "{phone} is not a phone number.": ("{phone} 不是有效的電話號碼。", "{phone} 不是有效的电话号码。"),
    "Reference {ref} appears twice.": ("預約編號 {ref} 重複出現。", "预约编号 {ref} 重复出现。"),
    "Already booked: {refs}.": ("這些預約編號已有預約：{refs}。", "这些预约编号已有预约：{refs}。"),
    "Appointment {ref} is checked in already: it is a ticket now.": (
        "預約 {ref} 已報到，已轉為號碼牌。",
        "预约 {ref} 已报到，已转为号码牌。",
    ),
    "Give the date and time, e.g. 2026-12-07 10:30": (
        "請填寫日期與時間，例如 2026-12-07 10:30",
        "请填写日期与时间，例如 2026-12-07 10:30",
    ),
    "Estimates: mean error": ("預估誤差（平均）", "预估误差（平均）"),
    "Waits inside the quoted range": ("等候落在預估範圍內", "等候落在预估范围内"),
    "Contact": ("聯絡方式", "联系方式"),
    "Counters today": ("今日櫃台", "今日柜台"),
    "Follow-up overdue: {n}": ("逾期未回覆：{n}", "逾期未回复：{n}"),
    "Follow-ups": ("待回覆事項", "待回复事项"),
    "Follow-up…": ("需回覆…", "需回复…"),
    "Mark replied": ("標記已回覆", "标记已回复"),
    "More…": ("更多…", "更多…"),
    "Name": ("姓名", "姓名"),
    "Nobody signed in": ("尚無人員登入", "尚无人员登录"),
    "Note": ("備註", "备注"),
    "Only if the customer agrees": ("須經客戶同意", "须经客户同意"),
    "Overdue": ("逾期", "逾期"),
    "Reception log": ("接待登記", "接待登记"),
    "Replied in time": ("限時內回覆", "限时内回复"),
    "Replied late": ("逾時回覆", "逾时回复"),
    "Reply rate": ("回覆率", "回复率"),
    "Reply recorded": ("已記錄回覆", "已记录回复"),
    "Reply": ("回覆", "回复"),
    "Select an open follow-up first": ("請先選擇一項待回覆事項", "请先选择一项待回复事项"),
    "Served": ("已辦理", "已办理"),
    "Served by": ("辦理人員", "办理人员"),
    "Sign in": ("登入", "登录"),
    "Sign in…": ("登入…", "登录…"),
    "Sign out": ("登出", "退出登录"),
    "Signed in": ("登入人員", "登录人员"),
    "Staff": ("人員", "人员"),
    "The reply to {n} is overdue: answer the customer today": (
        "{n} 的回覆已逾期，請今日答覆客戶",
        "{n} 的回复已逾期，请今日答复客户",
    ),
    "Visits": ("來訪人次", "来访人次"),
    "Waiting-time log": ("等候時間記錄", "等候时间记录"),
    "What the customer was told": ("答覆客戶的內容", "答复客户的内容"),
    "What was promised": ("承諾客戶的事項", "承诺客户的事项"),
    "Why out of turn (kept in the log)": ("不按順序叫號的原因（記入日誌）", "不按顺序叫号的原因（记入日志）"),
    "Your PIN": ("您的個人密碼", "您的个人密码"),
    "open": ("待回覆", "待回复"),
    "overdue": ("逾期", "逾期"),
    "replied": ("已回覆", "已回复"),
    "target": ("目標", "目标"),
    "{n} did not come and is now a no-show": ("{n} 未到，已記為過號", "{n} 未到，已记为过号"),
    "{n} is back in line": ("{n} 已回到隊伍中", "{n} 已回到队伍中"),
    "came back after a no-show": ("過號後回隊", "过号后回队"),
    "from its next call": ("自下一次叫號起", "自下一次叫号起"),
    "The day is closed": ("今日營業已結束", "今日营业已结束"),
    "by phone": ("電話", "电话"),
    "in person": ("當面", "当面"),
    "by letter": ("書面", "书面"),
    "by e-mail": ("電子郵件", "电子邮件"),
    "{count} ticket(s) are still open ({numbers}): serve them or mark them no-show before closing the day.": (
        "還有 {count} 張號碼未辦結（{numbers}）：請先辦理或標記過號，再結束營業。",
        "还有 {count} 张号码未办结（{numbers}）：请先办理或标记过号，再结束营业。",
    ),
    "Nobody is signed in at this counter: sign in first.": (
        "本櫃台尚無人員登入，請先登入。",
        "本柜台尚无人员登录，请先登录。",
    ),
    "That name and PIN do not match.": ("姓名與密碼不符。", "姓名与密码不符。"),
    "Too many wrong PINs: try again in {retry_after} s.": (
        "密碼錯誤次數過多，請 {retry_after} 秒後再試。",
        "密码错误次数过多，请 {retry_after} 秒后再试。",
    ),
    "Only a manager can do this.": ("只有主管可以執行此操作。", "只有主管可以执行此操作。"),
    "{number} was called again {limit} times: mark a no-show (they can be brought back if they come).": (
        "{number} 已重叫 {limit} 次：請標記過號（客戶回來時可回隊）。",
        "{number} 已重叫 {limit} 次：请标记过号（客户回来时可回队）。",
    ),
    "A follow-up needs a short note of what was promised.": (
        "需回覆的事項請簡短註明承諾內容。",
        "需回复的事项请简短注明承诺内容。",
    ),
    "There is no category {category}.": ("沒有「{category}」這個類別。", "没有“{category}”这个类别。"),
    "The note or contact is too long.": ("備註或聯絡方式太長。", "备注或联系方式太长。"),
    "Calling out of turn needs a reason.": ("不按順序叫號需要說明原因。", "不按顺序叫号需要说明原因。"),
    "Nobody with number {number} is waiting.": ("沒有號碼 {number} 的客戶在等候。", "没有号码 {number} 的客户在等候。"),
    "{number} is waiting for {service}, which this counter does not serve.": (
        "{number} 等候的是「{service}」，本櫃台不辦理。",
        "{number} 等候的是“{service}”，本柜台不办理。",
    ),
    "{number} is {state}, not a no-show: only a no-show can be brought back.": (
        "{number} 目前為「{state}」，不是過號：只有過號的號碼可以回隊。",
        "{number} 目前为“{state}”，不是过号：只有过号的号码可以回队。",
    ),
    "No counter would serve that service any more: its customers would wait forever.": (
        "這樣將沒有櫃台辦理該業務，等候的客戶將無人服務。",
        "这样将没有柜台办理该业务，等候的客户将无人服务。",
    ),
    "A counter serves at least one service.": ("每個櫃台至少辦理一項業務。", "每个柜台至少办理一项业务。"),
    "This follow-up is already replied.": ("此事項已回覆。", "此事项已回复。"),
    "No reply was promised at this visit, so there is no slip to print.": (
        "此次服務沒有需回覆的事項，無回覆通知單可列印。",
        "此次服务没有需回复的事项，无回复通知单可打印。",
    ),
    "No printer is known for slips: set this counter's slip_printer in the configuration.": (
        "未設定列印回覆通知單的印表機：請在設定中填寫此櫃台的 slip_printer。",
        "未设置打印回复通知单的打印机：请在配置中填写此柜台的 slip_printer。",
    ),
    "Print a slip for the customer": ("列印回覆通知單給客戶", "打印回复通知单给客户"),
    "The slip with the reply time is printing at {p}": ("回覆通知單正在 {p} 列印", "回复通知单正在 {p} 打印"),
    "the kiosk": ("取號機", "取号机"),
    "This follow-up is still open.": ("此事項尚未回覆。", "此事项尚未回复。"),
    "Reopening needs a reason.": ("重新開啟需要說明原因。", "重新开启需要说明原因。"),
    "Choose how the customer was answered.": ("請選擇答覆客戶的方式。", "请选择答复客户的方式。"),
    "Say who replied.": ("請註明回覆人員。", "请注明回复人员。"),
    "dashed line: the target wait": ("虛線：目標等候時間", "虚线：目标等候时间"),
    "As usual": ("依類別", "依类别"),
    "days": ("天", "天"),
    "Reply within": ("回覆期限", "回复期限"),
    "A reply time is {low} to {high} hours.": (
        "回覆期限須為 {low} 至 {high} 小時。",
        "回复期限须为 {low} 至 {high} 小时。",
    ),
    "Call": ("叫號", "叫号"),
    "Reprint": ("補印", "补印"),
    "Back in line": ("重新排入", "重新排入"),
    "Reason": ("原因", "原因"),
    "No time": ("不定時", "不定时"),
    "Ticket number": ("號碼", "号码"),
    "Today's no-shows": ("今日過號", "今日过号"),
    "Appointment": ("預約", "预约"),
    "Sent back from another counter": ("由其他櫃台轉回", "由其他柜台转回"),
    "Needs this counter's staff": ("需本櫃台人員辦理", "需本柜台人员办理"),
    "A reason from the list is shown on the display; one typed here only on staff screens.": (
        "清單中的原因會顯示在叫號螢幕；自行輸入的原因只在員工畫面顯示。",
        "清单中的原因会显示在叫号屏幕；自行输入的原因只在员工画面显示。",
    ),
    "Awaiting a reply": ("待回覆", "待回复"),
    "no more recalls: mark a no-show if they do not come": (
        "已達重呼上限：未到請標記過號",
        "已达重呼上限：未到请标记过号",
    ),
    "Close the day now? Every counter closes and everyone signed in is signed out.": (
        "現在結束營業嗎？所有櫃台將關閉，已簽到的人員將全部簽退。",
        "现在结束营业吗？所有柜台将关闭，已签到的人员将全部签退。",
    ),
    "Yes, close the day": ("是，結束營業", "是，结束营业"),
    "Keep the day open": ("不，繼續營業", "不，继续营业"),
    "Say in the note what the customer was told.": ("請在備註寫明答覆客戶的內容。", "请在备注写明答复客户的内容。"),
    "You are serving {number} at counter {counter}: finish or transfer it there first.": (
        "您正在 {counter} 號櫃台辦理 {number}：請先在該櫃台完成或轉辦。",
        "您正在 {counter} 号柜台办理 {number}：请先在该柜台完成或转办。",
    ),
    # the web manager view (kiosk/server/manage/)
    "Answers in": ("回應時間", "响应时间"),
    "Clock is off": ("時鐘不準", "时钟不准"),
    "Close the day…": ("結束今日營業…", "结束今日营业…"),
    "Closed": ("已關閉", "已关闭"),
    "Complaint": ("投訴", "投诉"),
    "Cover open": ("機蓋未關", "机盖未关"),
    "Database": ("資料庫", "数据库"),
    "Device": ("設備", "设备"),
    "Devices that need someone: {n}": ("需要處理的設備：{n}", "需要处理的设备：{n}"),
    "Enter your PIN": ("請輸入您的密碼", "请输入您的密码"),
    "Error": ("錯誤", "错误"),
    "Everything works": ("一切正常", "一切正常"),
    "Fault": ("故障", "故障"),
    "Flapping": ("時好時壞", "时好时坏"),
    "Hall health": ("大廳設備狀態", "大厅设备状态"),
    "Kind": ("類型", "类型"),
    "Last backup": ("上次備份", "上次备份"),
    "Live updates paused: reconnecting…": ("即時更新暫停：重新連線中…", "实时更新暂停：重新连接中…"),
    "Message": ("訊息", "消息"),
    "No alerts today": ("今天沒有警示", "今天没有警示"),
    "No follow-ups": ("沒有待回覆事項", "没有待回复事项"),
    "None reported yet": ("尚無回報", "尚无回报"),
    "Not found": ("找不到設備", "找不到设备"),
    "Not heard from": ("沒有回應", "没有回应"),
    "Offline": ("離線", "离线"),
    "Out of paper": ("缺紙", "缺纸"),
    "Pages": ("頁面", "页面"),
    "Paper low": ("紙張將用完", "纸张将用完"),
    "Printers": ("印表機", "打印机"),
    "Ready": ("就緒", "就绪"),
    "Reply by": ("回覆期限", "回复期限"),
    "Screens and kiosks": ("螢幕與取號機", "屏幕与取号机"),
    "Sensors": ("感應器", "传感器"),
    "Services": ("業務", "业务"),
    "Size": ("大小", "大小"),
    "Skip to the content": ("跳到主要內容", "跳到主要内容"),
    "Staff alerts today": ("今天的員工警示", "今天的员工警示"),
    "Target wait": ("目標等候時間", "目标等候时间"),
    "The newest {n} of {m} tickets; the CSV has them all.": (
        "顯示最新 {n} 張（共 {m} 張）；CSV 檔含全部。",
        "显示最新 {n} 张（共 {m} 张）；CSV 文件含全部。",
    ),
    "Time": ("時間", "时间"),
    "Unknown": ("未知", "未知"),
    "Waiting now": ("目前等候人數", "目前等候人数"),
    "Working": ("正常", "正常"),
    "checked": ("檢查於", "检查于"),
    "clock": ("時鐘", "时钟"),
    "counter": ("櫃台", "柜台"),
    "device": ("設備", "设备"),
    "display": ("叫號螢幕", "叫号屏幕"),
    "kiosk": ("取號機", "取号机"),
    "last ticket": ("最後一張", "最后一张"),
    "manager": ("主管", "主管"),
    "none recorded": ("沒有紀錄", "没有记录"),
    "printer": ("印表機", "打印机"),
    "sensor": ("感應器", "传感器"),
    "since": ("自", "自"),
    "last heard": ("最後聯繫", "最后联系"),
}

LANGS = {"zh-Hant": ("zh_TW", 0), "zh-Hans": ("zh_CN", 1)}


def write_ts(lang: str) -> Path:
    locale, idx = LANGS[lang]
    items = "\n".join(
        f"    <message>\n        <source>{escape(src)}</source>\n"
        f"        <translation>{escape(tr[idx])}</translation>\n    </message>"
        for src, tr in TEXTS.items()
    )
    text = (
        f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n<TS version="2.1" language="{locale}">\n'
        f"<context>\n    <name>{CONTEXT}</name>\n{items}\n</context>\n</TS>\n"
    )
    path = HERE / f"kiosk_{lang}.ts"
    path.write_text(text, encoding="utf-8")
    return path


def main() -> int:
    lrelease = shutil.which("pyside6-lrelease") or str(Path(sys.executable).with_name("pyside6-lrelease"))
    for lang in LANGS:
        ts = write_ts(lang)
        subprocess.run([lrelease, "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)
        print(f"wrote {ts.name} and {ts.with_suffix('.qm').name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
