<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
<context>
    <name>kiosk</name>
    <message>
        <source>Call next</source>
        <translation>叫下一位</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>重新叫號</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>開始辦理</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>辦理完成</translation>
    </message>
    <message>
        <source>No-show</source>
        <translation>過號未到</translation>
    </message>
    <message>
        <source>Transfer…</source>
        <translation>轉介…</translation>
    </message>
    <message>
        <source>Pause…</source>
        <translation>暫停…</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暫停</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>恢復服務</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>服務中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>暫停中</translation>
    </message>
    <message>
        <source>back at</source>
        <translation>回來時間</translation>
    </message>
    <message>
        <source>Current customer</source>
        <translation>目前客戶</translation>
    </message>
    <message>
        <source>No customer at the counter</source>
        <translation>櫃台目前沒有客戶</translation>
    </message>
    <message>
        <source>called, walking to the counter</source>
        <translation>已叫號，前來櫃台中</translation>
    </message>
    <message>
        <source>being served</source>
        <translation>辦理中</translation>
    </message>
    <message>
        <source>priority</source>
        <translation>優先</translation>
    </message>
    <message>
        <source>recalled</source>
        <translation>重叫</translation>
    </message>
    <message>
        <source>transferred</source>
        <translation>已轉介</translation>
    </message>
    <message>
        <source>Waited</source>
        <translation>已等候</translation>
    </message>
    <message>
        <source>longer than the target: apologise</source>
        <translation>超過目標時間，請致歉</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等候人數</translation>
    </message>
    <message>
        <source>(not at this counter)</source>
        <translation>（本櫃台不辦理）</translation>
    </message>
    <message>
        <source>Nobody is waiting for this counter.</source>
        <translation>目前沒有客戶等候本櫃台。</translation>
    </message>
    <message>
        <source>Cannot reach the queue. Your presses are not lost: try again in a moment.</source>
        <translation>無法連線排隊系統。您的操作不會遺失，請稍後再試。</translation>
    </message>
    <message>
        <source>Reason (shown on the display)</source>
        <translation>原因（顯示在叫號屏）</translation>
    </message>
    <message>
        <source>Back in</source>
        <translation>預計多久後回來</translation>
    </message>
    <message>
        <source>Greeted</source>
        <translation>已問候</translation>
    </message>
    <message>
        <source>Nobody has greeted the customer at the door yet</source>
        <translation>門口的客人尚無人問候</translation>
    </message>
    <message>
        <source>Greeted by counter</source>
        <translation>已由櫃台問候：</translation>
    </message>
    <message>
        <source>Nobody has greeted yet: whoever is free, please go</source>
        <translation>尚無人回應：請有空的同事前往接待</translation>
    </message>
    <message>
        <source>Reprint…</source>
        <translation>補印…</translation>
    </message>
    <message>
        <source>Reprint a ticket</source>
        <translation>補印號碼單</translation>
    </message>
    <message>
        <source>Ticket number (e.g. A012)</source>
        <translation>號碼（例如 A012）</translation>
    </message>
    <message>
        <source>Ticket {n} is printing again at the kiosk</source>
        <translation>號碼單 {n} 正在取號機補印</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>確定</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>知道了</translation>
    </message>
    <message>
        <source>Ticket printer</source>
        <translation>號碼單印表機</translation>
    </message>
    <message>
        <source>out of paper</source>
        <translation>缺紙</translation>
    </message>
    <message>
        <source>cover open</source>
        <translation>機蓋未關</translation>
    </message>
    <message>
        <source>not answering</source>
        <translation>沒有回應</translation>
    </message>
    <message>
        <source>not found: check its cable and power</source>
        <translation>找不到：請檢查連接線和電源</translation>
    </message>
    <message>
        <source>reports an error</source>
        <translation>發生故障</translation>
    </message>
    <message>
        <source>paper running low: change the roll soon</source>
        <translation>紙快用完：請盡快換紙</translation>
    </message>
    <message>
        <source>The clock is not synchronised: tickets for an earlier day than the last are refused. Check the network time.</source>
        <translation>時鐘尚未校正：早於最後營業日的號碼單將被拒絕。請檢查網路校時。</translation>
    </message>
    <message>
        <source>Sensor</source>
        <translation>感應器</translation>
    </message>
    <message>
        <source>not reporting: greetings from it are missed until it works again</source>
        <translation>沒有回報：修復前它偵測的到訪不會提醒</translation>
    </message>
    <message>
        <source>could not start: check its cable and settings</source>
        <translation>無法啟動：請檢查連接線和設定</translation>
    </message>
    <message>
        <source>reports someone all the time: stuck? It is ignored until it reports empty</source>
        <translation>一直回報有人：可能卡住，回報無人前將忽略它</translation>
    </message>
    <message>
        <source>opens and closes all the time: loose? It is ignored until it is quiet</source>
        <translation>不停開關：可能鬆脫，安靜前將忽略它</translation>
    </message>
    <message>
        <source>Ticket kiosk</source>
        <translation>取號機</translation>
    </message>
    <message>
        <source>could not issue a ticket; the customer was asked to come to the counter</source>
        <translation>未能取號，已請客戶到櫃台辦理</translation>
    </message>
    <message>
        <source>needs attention</source>
        <translation>需要處理</translation>
    </message>
    <message>
        <source>ticket {n} was not printed; it is in line. Reprint it once the printer works.</source>
        <translation>號碼單 {n} 未能印出，號碼仍有效。印表機恢復後請補印。</translation>
    </message>
    <message>
        <source>There is no customer at this counter.</source>
        <translation>本櫃台目前沒有客戶。</translation>
    </message>
    <message>
        <source>Ticket {number} is {state}: this cannot be done now.</source>
        <translation>號碼 {number} 目前為「{state}」，無法進行此操作。</translation>
    </message>
    <message>
        <source>This counter is paused: resume it before calling.</source>
        <translation>本櫃台暫停中，請先恢復服務再叫號。</translation>
    </message>
    <message>
        <source>Another counter took that customer at the same moment: press again.</source>
        <translation>另一個櫃台同時叫了這位客戶，請再按一次。</translation>
    </message>
    <message>
        <source>Ticket {number} is already in {service}.</source>
        <translation>號碼 {number} 已在「{service}」。</translation>
    </message>
    <message>
        <source>Choose or type a reason for the pause.</source>
        <translation>請選擇或輸入暫停原因。</translation>
    </message>
    <message>
        <source>Ticket {number} is still at the counter: finish or transfer it first.</source>
        <translation>號碼 {number} 仍在櫃台，請先完成或轉介。</translation>
    </message>
    <message>
        <source>The expected return time is in the past.</source>
        <translation>預計回來時間已過。</translation>
    </message>
    <message>
        <source>The expected return is more than {hours} h away: pause without a return time.</source>
        <translation>預計回來時間超過 {hours} 小時，請不填回來時間。</translation>
    </message>
    <message>
        <source>This counter is not paused.</source>
        <translation>本櫃台沒有暫停。</translation>
    </message>
    <message>
        <source>Ticket {number} is no longer in line: there is nothing to reprint.</source>
        <translation>號碼 {number} 已不在排隊中，無需補印。</translation>
    </message>
    <message>
        <source>Ticket {number} was not issued at a kiosk, so no kiosk can print it.</source>
        <translation>號碼 {number} 不是由取號機發出，沒有取號機可以補印。</translation>
    </message>
    <message>
        <source>The clock says {day} but tickets exist for {newest}: set the clock (network time) first.</source>
        <translation>時鐘顯示 {day}，但已有 {newest} 的號碼單：請先校正時間（網路校時）。</translation>
    </message>
    <message>
        <source>There is no ticket {number} today.</source>
        <translation>今天沒有號碼 {number}。</translation>
    </message>
    <message>
        <source>Reprints</source>
        <translation>補印次數</translation>
    </message>
    <message>
        <source>Reprint selected ticket</source>
        <translation>補印所選號碼單</translation>
    </message>
    <message>
        <source>Select a ticket in the log first</source>
        <translation>請先在記錄中選擇號碼單</translation>
    </message>
    <message>
        <source>Only today's tickets can be reprinted</source>
        <translation>只可補印今天的號碼單</translation>
    </message>
    <message>
        <source>Manager view</source>
        <translation>主管檢視</translation>
    </message>
    <message>
        <source>Staff PIN</source>
        <translation>員工密碼</translation>
    </message>
    <message>
        <source>Manager PIN</source>
        <translation>主管密碼</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解鎖</translation>
    </message>
    <message>
        <source>Wrong PIN</source>
        <translation>密碼錯誤</translation>
    </message>
    <message>
        <source>Only a manager can open this view</source>
        <translation>只有主管可開啟此畫面</translation>
    </message>
    <message>
        <source>The PIN cannot be checked now: the queue does not answer</source>
        <translation>暫時無法核對密碼：排隊系統沒有回應</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in {s} s.</source>
        <translation>密碼錯誤次數過多，請於 {s} 秒後再試。</translation>
    </message>
    <message>
        <source>From</source>
        <translation>由</translation>
    </message>
    <message>
        <source>To</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>業務</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>櫃台</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>號碼</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>查詢</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>匯出 CSV…</translation>
    </message>
    <message>
        <source>Daily PDF report…</source>
        <translation>每日 PDF 報表…</translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation>號碼單</translation>
    </message>
    <message>
        <source>Mean wait</source>
        <translation>平均等候</translation>
    </message>
    <message>
        <source>Median wait</source>
        <translation>等候中位數</translation>
    </message>
    <message>
        <source>90% waited less than</source>
        <translation>九成等候少於</translation>
    </message>
    <message>
        <source>Called within target</source>
        <translation>目標時間內叫號</translation>
    </message>
    <message>
        <source>Mean service time</source>
        <translation>平均辦理時間</translation>
    </message>
    <message>
        <source>No-shows</source>
        <translation>過號未到</translation>
    </message>
    <message>
        <source>Transfers</source>
        <translation>轉介</translation>
    </message>
    <message>
        <source>Still open</source>
        <translation>尚未完成</translation>
    </message>
    <message>
        <source>Mean wait by hour of issue (minutes)</source>
        <translation>各時段平均等候（分鐘）</translation>
    </message>
    <message>
        <source>min</source>
        <translation>分鐘</translation>
    </message>
    <message>
        <source>s</source>
        <translation>秒</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等候中</translation>
    </message>
    <message>
        <source>called</source>
        <translation>已叫號</translation>
    </message>
    <message>
        <source>serving</source>
        <translation>辦理中</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>no_show</source>
        <translation>過號未到</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>取號</translation>
    </message>
    <message>
        <source>Called</source>
        <translation>叫號</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>State</source>
        <translation>狀態</translation>
    </message>
    <message>
        <source>Wait (min)</source>
        <translation>等候（分鐘）</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>已儲存</translation>
    </message>
    <message>
        <source>Waiting-time report</source>
        <translation>等候時間報表</translation>
    </message>
    <message>
        <source>no tickets in this period</source>
        <translation>此期間沒有號碼單</translation>
    </message>
    <message>
        <source>Arrivals</source>
        <translation>到訪人數</translation>
    </message>
    <message>
        <source>Median time to greet</source>
        <translation>問候時間中位數</translation>
    </message>
    <message>
        <source>Greeted within target</source>
        <translation>目標時間內問候</translation>
    </message>
    <message>
        <source>Not greeted</source>
        <translation>未獲問候</translation>
    </message>
    <message>
        <source>Left without a ticket</source>
        <translation>未取號離開</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>重新開啟</translation>
    </message>
    <message>
        <source>Select a replied follow-up first</source>
        <translation>請先選擇一項已回覆事項</translation>
    </message>
    <message>
        <source>Say in the note why it is opened again</source>
        <translation>請在備註說明重新開啟的原因</translation>
    </message>
    <message>
        <source>Opened again</source>
        <translation>已重新開啟</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>回覆期限</translation>
    </message>
    <message>
        <source>Open follow-ups</source>
        <translation>待回覆</translation>
    </message>
    <message>
        <source>Replied</source>
        <translation>已回覆</translation>
    </message>
    <message>
        <source>(late)</source>
        <translation>（逾時）</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>套用</translation>
    </message>
    <message>
        <source>Bring back a no-show…</source>
        <translation>過號客戶回隊…</translation>
    </message>
    <message>
        <source>Call a number…</source>
        <translation>指定叫號…</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>來訪類別</translation>
    </message>
    <message>
        <source>Close the day</source>
        <translation>結束今日營業</translation>
    </message>
    <message>
        <source>Complaint: {n}</source>
        <translation>投訴：{n}</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>投訴</translation>
    </message>
    <message>
        <source>Phone alerts</source>
        <translation>手機提醒</translation>
    </message>
    <message>
        <source>Log a call or letter…</source>
        <translation>登記來電或來函…</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>登記</translation>
    </message>
    <message>
        <source>How</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>電話</translation>
    </message>
    <message>
        <source>Letter</source>
        <translation>來函</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>電郵</translation>
    </message>
    <message>
        <source>Walk-in</source>
        <translation>來訪</translation>
    </message>
    <message>
        <source>Praise</source>
        <translation>表揚</translation>
    </message>
    <message>
        <source>What the customer said</source>
        <translation>客戶反映的內容</translation>
    </message>
    <message>
        <source>Reply promised</source>
        <translation>需回覆</translation>
    </message>
    <message>
        <source>Logged.</source>
        <translation>已登記。</translation>
    </message>
    <message>
        <source>On the follow-up board.</source>
        <translation>已列入待回覆事項。</translation>
    </message>
    <message>
        <source>No-shows: alerted / not</source>
        <translation>過號率：有提醒／無提醒</translation>
    </message>
    <message>
        <source>Appointments</source>
        <translation>預約</translation>
    </message>
    <message>
        <source>Check in a booking…</source>
        <translation>預約報到…</translation>
    </message>
    <message>
        <source>Check in a booking</source>
        <translation>預約報到</translation>
    </message>
    <message>
        <source>Check in</source>
        <translation>報到</translation>
    </message>
    <message>
        <source>Checked in: {n}</source>
        <translation>已報到：{n}</translation>
    </message>
    <message>
        <source>Booked</source>
        <translation>已預約</translation>
    </message>
    <message>
        <source>Checked in</source>
        <translation>已報到</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>遲到</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>預約編號</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>改期</translation>
    </message>
    <message>
        <source>Cancel booking</source>
        <translation>取消預約</translation>
    </message>
    <message>
        <source>Add a booking</source>
        <translation>新增預約</translation>
    </message>
    <message>
        <source>Booking added</source>
        <translation>已新增預約</translation>
    </message>
    <message>
        <source>Booking moved</source>
        <translation>預約已改期</translation>
    </message>
    <message>
        <source>Booking cancelled</source>
        <translation>預約已取消</translation>
    </message>
    <message>
        <source>No bookings on this day</source>
        <translation>這一天沒有預約</translation>
    </message>
    <message>
        <source>Did not come</source>
        <translation>未到場</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重試</translation>
    </message>
    <message>
        <source>The queue's database cannot be reached right now.</source>
        <translation>目前無法連線到排隊系統的資料庫。</translation>
    </message>
    <message>
        <source>This page tries again by itself every few seconds.</source>
        <translation>本頁每隔幾秒會自動重試。</translation>
    </message>
    <message>
        <source>What you sent was not saved: send it again in a moment.</source>
        <translation>剛才送出的內容沒有儲存，請稍後再送出一次。</translation>
    </message>
    <message>
        <source>Booking {n}: {problem}</source>
        <translation>第 {n} 筆預約：{problem}</translation>
    </message>
    <message>
        <source>There is no service {service} (known: {known}).</source>
        <translation>沒有「{service}」這項業務（現有：{known}）。</translation>
    </message>
    <message>
        <source>The time is not between the years 2000 and 2100.</source>
        <translation>時間須在 2000 年至 2100 年之間。</translation>
    </message>
    <message>
        <source>{service} is closed at {time}.</source>
        <translation>{service}在 {time} 不辦理。</translation>
    </message>
    <message>
        <source>Reference {ref} is not 4 to 16 letters and digits.</source>
        <translation>預約編號 {ref} 須為 4 至 16 個英文字母或數字。</translation>
    </message>
    <message>
        <source>The name is longer than 80 characters.</source>
        <translation>姓名超過 80 個字。</translation>
    </message>
    <message>
        <source>{phone} is not a phone number.</source>
        <translation>{phone} 不是有效的電話號碼。</translation>
    </message>
    <message>
        <source>Reference {ref} appears twice.</source>
        <translation>預約編號 {ref} 重複出現。</translation>
    </message>
    <message>
        <source>Already booked: {refs}.</source>
        <translation>這些預約編號已有預約：{refs}。</translation>
    </message>
    <message>
        <source>Appointment {ref} is checked in already: it is a ticket now.</source>
        <translation>預約 {ref} 已報到，已轉為號碼牌。</translation>
    </message>
    <message>
        <source>Give the date and time, e.g. 2026-12-07 10:30</source>
        <translation>請填寫日期與時間，例如 2026-12-07 10:30</translation>
    </message>
    <message>
        <source>Estimates: mean error</source>
        <translation>預估誤差（平均）</translation>
    </message>
    <message>
        <source>Waits inside the quoted range</source>
        <translation>等候落在預估範圍內</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>聯絡方式</translation>
    </message>
    <message>
        <source>Counters today</source>
        <translation>今日櫃台</translation>
    </message>
    <message>
        <source>Follow-up overdue: {n}</source>
        <translation>逾期未回覆：{n}</translation>
    </message>
    <message>
        <source>Follow-ups</source>
        <translation>待回覆事項</translation>
    </message>
    <message>
        <source>Follow-up…</source>
        <translation>需回覆…</translation>
    </message>
    <message>
        <source>Mark replied</source>
        <translation>標記已回覆</translation>
    </message>
    <message>
        <source>More…</source>
        <translation>更多…</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Nobody signed in</source>
        <translation>尚無人員登入</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>備註</translation>
    </message>
    <message>
        <source>Only if the customer agrees</source>
        <translation>須經客戶同意</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>Reception log</source>
        <translation>接待登記</translation>
    </message>
    <message>
        <source>Replied in time</source>
        <translation>限時內回覆</translation>
    </message>
    <message>
        <source>Replied late</source>
        <translation>逾時回覆</translation>
    </message>
    <message>
        <source>Reply rate</source>
        <translation>回覆率</translation>
    </message>
    <message>
        <source>Reply recorded</source>
        <translation>已記錄回覆</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>回覆</translation>
    </message>
    <message>
        <source>Select an open follow-up first</source>
        <translation>請先選擇一項待回覆事項</translation>
    </message>
    <message>
        <source>Served</source>
        <translation>已辦理</translation>
    </message>
    <message>
        <source>Served by</source>
        <translation>辦理人員</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登入</translation>
    </message>
    <message>
        <source>Sign in…</source>
        <translation>登入…</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>登出</translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation>登入人員</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>人員</translation>
    </message>
    <message>
        <source>The reply to {n} is overdue: answer the customer today</source>
        <translation>{n} 的回覆已逾期，請今日答覆客戶</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>來訪人次</translation>
    </message>
    <message>
        <source>Waiting-time log</source>
        <translation>等候時間記錄</translation>
    </message>
    <message>
        <source>What the customer was told</source>
        <translation>答覆客戶的內容</translation>
    </message>
    <message>
        <source>What was promised</source>
        <translation>承諾客戶的事項</translation>
    </message>
    <message>
        <source>Why out of turn (kept in the log)</source>
        <translation>不按順序叫號的原因（記入日誌）</translation>
    </message>
    <message>
        <source>Your PIN</source>
        <translation>您的個人密碼</translation>
    </message>
    <message>
        <source>open</source>
        <translation>待回覆</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>replied</source>
        <translation>已回覆</translation>
    </message>
    <message>
        <source>target</source>
        <translation>目標</translation>
    </message>
    <message>
        <source>{n} did not come and is now a no-show</source>
        <translation>{n} 未到，已記為過號</translation>
    </message>
    <message>
        <source>{n} is back in line</source>
        <translation>{n} 已回到隊伍中</translation>
    </message>
    <message>
        <source>came back after a no-show</source>
        <translation>過號後回隊</translation>
    </message>
    <message>
        <source>from its next call</source>
        <translation>自下一次叫號起</translation>
    </message>
    <message>
        <source>The day is closed</source>
        <translation>今日營業已結束</translation>
    </message>
    <message>
        <source>by phone</source>
        <translation>電話</translation>
    </message>
    <message>
        <source>in person</source>
        <translation>當面</translation>
    </message>
    <message>
        <source>by letter</source>
        <translation>書面</translation>
    </message>
    <message>
        <source>by e-mail</source>
        <translation>電子郵件</translation>
    </message>
    <message>
        <source>{count} ticket(s) are still open ({numbers}): serve them or mark them no-show before closing the day.</source>
        <translation>還有 {count} 張號碼未辦結（{numbers}）：請先辦理或標記過號，再結束營業。</translation>
    </message>
    <message>
        <source>Nobody is signed in at this counter: sign in first.</source>
        <translation>本櫃台尚無人員登入，請先登入。</translation>
    </message>
    <message>
        <source>That name and PIN do not match.</source>
        <translation>姓名與密碼不符。</translation>
    </message>
    <message>
        <source>Too many wrong PINs: try again in {retry_after} s.</source>
        <translation>密碼錯誤次數過多，請 {retry_after} 秒後再試。</translation>
    </message>
    <message>
        <source>Only a manager can do this.</source>
        <translation>只有主管可以執行此操作。</translation>
    </message>
    <message>
        <source>{number} was called again {limit} times: mark a no-show (they can be brought back if they come).</source>
        <translation>{number} 已重叫 {limit} 次：請標記過號（客戶回來時可回隊）。</translation>
    </message>
    <message>
        <source>A follow-up needs a short note of what was promised.</source>
        <translation>需回覆的事項請簡短註明承諾內容。</translation>
    </message>
    <message>
        <source>There is no category {category}.</source>
        <translation>沒有「{category}」這個類別。</translation>
    </message>
    <message>
        <source>The note or contact is too long.</source>
        <translation>備註或聯絡方式太長。</translation>
    </message>
    <message>
        <source>Calling out of turn needs a reason.</source>
        <translation>不按順序叫號需要說明原因。</translation>
    </message>
    <message>
        <source>Nobody with number {number} is waiting.</source>
        <translation>沒有號碼 {number} 的客戶在等候。</translation>
    </message>
    <message>
        <source>{number} is waiting for {service}, which this counter does not serve.</source>
        <translation>{number} 等候的是「{service}」，本櫃台不辦理。</translation>
    </message>
    <message>
        <source>{number} is {state}, not a no-show: only a no-show can be brought back.</source>
        <translation>{number} 目前為「{state}」，不是過號：只有過號的號碼可以回隊。</translation>
    </message>
    <message>
        <source>No counter would serve that service any more: its customers would wait forever.</source>
        <translation>這樣將沒有櫃台辦理該業務，等候的客戶將無人服務。</translation>
    </message>
    <message>
        <source>A counter serves at least one service.</source>
        <translation>每個櫃台至少辦理一項業務。</translation>
    </message>
    <message>
        <source>This follow-up is already replied.</source>
        <translation>此事項已回覆。</translation>
    </message>
    <message>
        <source>No reply was promised at this visit, so there is no slip to print.</source>
        <translation>此次服務沒有需回覆的事項，無回覆通知單可列印。</translation>
    </message>
    <message>
        <source>No printer is known for slips: set this counter's slip_printer in the configuration.</source>
        <translation>未設定列印回覆通知單的印表機：請在設定中填寫此櫃台的 slip_printer。</translation>
    </message>
    <message>
        <source>Print a slip for the customer</source>
        <translation>列印回覆通知單給客戶</translation>
    </message>
    <message>
        <source>The slip with the reply time is printing at {p}</source>
        <translation>回覆通知單正在 {p} 列印</translation>
    </message>
    <message>
        <source>the kiosk</source>
        <translation>取號機</translation>
    </message>
    <message>
        <source>This follow-up is still open.</source>
        <translation>此事項尚未回覆。</translation>
    </message>
    <message>
        <source>Reopening needs a reason.</source>
        <translation>重新開啟需要說明原因。</translation>
    </message>
    <message>
        <source>Choose how the customer was answered.</source>
        <translation>請選擇答覆客戶的方式。</translation>
    </message>
    <message>
        <source>Say who replied.</source>
        <translation>請註明回覆人員。</translation>
    </message>
    <message>
        <source>dashed line: the target wait</source>
        <translation>虛線：目標等候時間</translation>
    </message>
    <message>
        <source>As usual</source>
        <translation>依類別</translation>
    </message>
    <message>
        <source>days</source>
        <translation>天</translation>
    </message>
    <message>
        <source>Reply within</source>
        <translation>回覆期限</translation>
    </message>
    <message>
        <source>A reply time is {low} to {high} hours.</source>
        <translation>回覆期限須為 {low} 至 {high} 小時。</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>叫號</translation>
    </message>
    <message>
        <source>Reprint</source>
        <translation>補印</translation>
    </message>
    <message>
        <source>Back in line</source>
        <translation>重新排入</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>No time</source>
        <translation>不定時</translation>
    </message>
    <message>
        <source>Ticket number</source>
        <translation>號碼</translation>
    </message>
    <message>
        <source>Today's no-shows</source>
        <translation>今日過號</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>預約</translation>
    </message>
    <message>
        <source>Sent back from another counter</source>
        <translation>由其他櫃台轉回</translation>
    </message>
    <message>
        <source>Needs this counter's staff</source>
        <translation>需本櫃台人員辦理</translation>
    </message>
    <message>
        <source>A reason from the list is shown on the display; one typed here only on staff screens.</source>
        <translation>清單中的原因會顯示在叫號螢幕；自行輸入的原因只在員工畫面顯示。</translation>
    </message>
    <message>
        <source>Awaiting a reply</source>
        <translation>待回覆</translation>
    </message>
    <message>
        <source>no more recalls: mark a no-show if they do not come</source>
        <translation>已達重呼上限：未到請標記過號</translation>
    </message>
    <message>
        <source>Close the day now? Every counter closes and everyone signed in is signed out.</source>
        <translation>現在結束營業嗎？所有櫃台將關閉，已簽到的人員將全部簽退。</translation>
    </message>
    <message>
        <source>Yes, close the day</source>
        <translation>是，結束營業</translation>
    </message>
    <message>
        <source>Keep the day open</source>
        <translation>不，繼續營業</translation>
    </message>
    <message>
        <source>Say in the note what the customer was told.</source>
        <translation>請在備註寫明答覆客戶的內容。</translation>
    </message>
    <message>
        <source>You are serving {number} at counter {counter}: finish or transfer it there first.</source>
        <translation>您正在 {counter} 號櫃台辦理 {number}：請先在該櫃台完成或轉辦。</translation>
    </message>
    <message>
        <source>Answers in</source>
        <translation>回應時間</translation>
    </message>
    <message>
        <source>Clock is off</source>
        <translation>時鐘不準</translation>
    </message>
    <message>
        <source>Close the day…</source>
        <translation>結束今日營業…</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已關閉</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投訴</translation>
    </message>
    <message>
        <source>Cover open</source>
        <translation>機蓋未關</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>資料庫</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>設備</translation>
    </message>
    <message>
        <source>Devices that need someone: {n}</source>
        <translation>需要處理的設備：{n}</translation>
    </message>
    <message>
        <source>Enter your PIN</source>
        <translation>請輸入您的密碼</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>錯誤</translation>
    </message>
    <message>
        <source>Everything works</source>
        <translation>一切正常</translation>
    </message>
    <message>
        <source>Fault</source>
        <translation>故障</translation>
    </message>
    <message>
        <source>Flapping</source>
        <translation>時好時壞</translation>
    </message>
    <message>
        <source>Hall health</source>
        <translation>大廳設備狀態</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>類型</translation>
    </message>
    <message>
        <source>Last backup</source>
        <translation>上次備份</translation>
    </message>
    <message>
        <source>Live updates paused: reconnecting…</source>
        <translation>即時更新暫停：重新連線中…</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>訊息</translation>
    </message>
    <message>
        <source>No alerts today</source>
        <translation>今天沒有警示</translation>
    </message>
    <message>
        <source>No follow-ups</source>
        <translation>沒有待回覆事項</translation>
    </message>
    <message>
        <source>None reported yet</source>
        <translation>尚無回報</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>找不到設備</translation>
    </message>
    <message>
        <source>Not heard from</source>
        <translation>沒有回應</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>離線</translation>
    </message>
    <message>
        <source>Out of paper</source>
        <translation>缺紙</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>頁面</translation>
    </message>
    <message>
        <source>Paper low</source>
        <translation>紙張將用完</translation>
    </message>
    <message>
        <source>Printers</source>
        <translation>印表機</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就緒</translation>
    </message>
    <message>
        <source>Reply by</source>
        <translation>回覆期限</translation>
    </message>
    <message>
        <source>Screens and kiosks</source>
        <translation>螢幕與取號機</translation>
    </message>
    <message>
        <source>Sensors</source>
        <translation>感應器</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>業務</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Skip to the content</source>
        <translation>跳到主要內容</translation>
    </message>
    <message>
        <source>Staff alerts today</source>
        <translation>今天的員工警示</translation>
    </message>
    <message>
        <source>Target wait</source>
        <translation>目標等候時間</translation>
    </message>
    <message>
        <source>The newest {n} of {m} tickets; the CSV has them all.</source>
        <translation>顯示最新 {n} 張（共 {m} 張）；CSV 檔含全部。</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>時間</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Waiting now</source>
        <translation>目前等候人數</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>checked</source>
        <translation>檢查於</translation>
    </message>
    <message>
        <source>clock</source>
        <translation>時鐘</translation>
    </message>
    <message>
        <source>counter</source>
        <translation>櫃台</translation>
    </message>
    <message>
        <source>device</source>
        <translation>設備</translation>
    </message>
    <message>
        <source>display</source>
        <translation>叫號螢幕</translation>
    </message>
    <message>
        <source>kiosk</source>
        <translation>取號機</translation>
    </message>
    <message>
        <source>last ticket</source>
        <translation>最後一張</translation>
    </message>
    <message>
        <source>manager</source>
        <translation>主管</translation>
    </message>
    <message>
        <source>none recorded</source>
        <translation>沒有紀錄</translation>
    </message>
    <message>
        <source>printer</source>
        <translation>印表機</translation>
    </message>
    <message>
        <source>sensor</source>
        <translation>感應器</translation>
    </message>
    <message>
        <source>since</source>
        <translation>自</translation>
    </message>
    <message>
        <source>last heard</source>
        <translation>最後聯繫</translation>
    </message>
</context>
</TS>
