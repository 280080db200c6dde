<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>kiosk</name>
    <message>
        <source>Call next</source>
        <translation>叫下一位</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>重新叫号</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始办理</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>办理完成</translation>
    </message>
    <message>
        <source>No-show</source>
        <translation>过号未到</translation>
    </message>
    <message>
        <source>Transfer…</source>
        <translation>转介…</translation>
    </message>
    <message>
        <source>Pause…</source>
        <translation>暂停…</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>恢复服务</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>服务中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>暂停中</translation>
    </message>
    <message>
        <source>back at</source>
        <translation>回来时间</translation>
    </message>
    <message>
        <source>Current customer</source>
        <translation>目前客户</translation>
    </message>
    <message>
        <source>No customer at the counter</source>
        <translation>柜台目前没有客户</translation>
    </message>
    <message>
        <source>called, walking to the counter</source>
        <translation>已叫号，前来柜台中</translation>
    </message>
    <message>
        <source>being served</source>
        <translation>办理中</translation>
    </message>
    <message>
        <source>priority</source>
        <translation>优先</translation>
    </message>
    <message>
        <source>recalled</source>
        <translation>重叫</translation>
    </message>
    <message>
        <source>transferred</source>
        <translation>已转介</translation>
    </message>
    <message>
        <source>Waited</source>
        <translation>已等候</translation>
    </message>
    <message>
        <source>longer than the target: apologise</source>
        <translation>超过目标时间，请致歉</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等候人数</translation>
    </message>
    <message>
        <source>(not at this counter)</source>
        <translation>（本柜台不办理）</translation>
    </message>
    <message>
        <source>Nobody is waiting for this counter.</source>
        <translation>目前没有客户等候本柜台。</translation>
    </message>
    <message>
        <source>Cannot reach the queue. Your presses are not lost: try again in a moment.</source>
        <translation>无法连接排队系统。您的操作不会丢失，请稍后再试。</translation>
    </message>
    <message>
        <source>Reason (shown on the display)</source>
        <translation>原因（显示在叫号屏）</translation>
    </message>
    <message>
        <source>Back in</source>
        <translation>预计多久后回来</translation>
    </message>
    <message>
        <source>Greeted</source>
        <translation>已问候</translation>
    </message>
    <message>
        <source>Nobody has greeted the customer at the door yet</source>
        <translation>门口的客人尚无人问候</translation>
    </message>
    <message>
        <source>Greeted by counter</source>
        <translation>已由柜台问候：</translation>
    </message>
    <message>
        <source>Nobody has greeted yet: whoever is free, please go</source>
        <translation>尚无人回应：请有空的同事前往接待</translation>
    </message>
    <message>
        <source>Reprint…</source>
        <translation>补打…</translation>
    </message>
    <message>
        <source>Reprint a ticket</source>
        <translation>补打号码单</translation>
    </message>
    <message>
        <source>Ticket number (e.g. A012)</source>
        <translation>号码（例如 A012）</translation>
    </message>
    <message>
        <source>Ticket {n} is printing again at the kiosk</source>
        <translation>号码单 {n} 正在取号机补打</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
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
        <translation>号码单打印机</translation>
    </message>
    <message>
        <source>out of paper</source>
        <translation>缺纸</translation>
    </message>
    <message>
        <source>cover open</source>
        <translation>机盖未关</translation>
    </message>
    <message>
        <source>not answering</source>
        <translation>没有响应</translation>
    </message>
    <message>
        <source>not found: check its cable and power</source>
        <translation>找不到：请检查连接线和电源</translation>
    </message>
    <message>
        <source>reports an error</source>
        <translation>发生故障</translation>
    </message>
    <message>
        <source>paper running low: change the roll soon</source>
        <translation>纸快用完：请尽快换纸</translation>
    </message>
    <message>
        <source>The clock is not synchronised: tickets for an earlier day than the last are refused. Check the network time.</source>
        <translation>时钟尚未校正：早于最后营业日的号码单将被拒绝。请检查网络校时。</translation>
    </message>
    <message>
        <source>Sensor</source>
        <translation>感应器</translation>
    </message>
    <message>
        <source>not reporting: greetings from it are missed until it works again</source>
        <translation>没有回报：修复前它检测的到访不会提醒</translation>
    </message>
    <message>
        <source>could not start: check its cable and settings</source>
        <translation>无法启动：请检查连接线和设置</translation>
    </message>
    <message>
        <source>reports someone all the time: stuck? It is ignored until it reports empty</source>
        <translation>一直回报有人：可能卡住，回报无人前将忽略它</translation>
    </message>
    <message>
        <source>opens and closes all the time: loose? It is ignored until it is quiet</source>
        <translation>不停开关：可能松脱，安静前将忽略它</translation>
    </message>
    <message>
        <source>Ticket kiosk</source>
        <translation>取号机</translation>
    </message>
    <message>
        <source>could not issue a ticket; the customer was asked to come to the counter</source>
        <translation>未能取号，已请客户到柜台办理</translation>
    </message>
    <message>
        <source>needs attention</source>
        <translation>需要处理</translation>
    </message>
    <message>
        <source>ticket {n} was not printed; it is in line. Reprint it once the printer works.</source>
        <translation>号码单 {n} 未能打印，号码仍有效。打印机恢复后请补打。</translation>
    </message>
    <message>
        <source>There is no customer at this counter.</source>
        <translation>本柜台目前没有客户。</translation>
    </message>
    <message>
        <source>Ticket {number} is {state}: this cannot be done now.</source>
        <translation>号码 {number} 目前为“{state}”，无法进行此操作。</translation>
    </message>
    <message>
        <source>This counter is paused: resume it before calling.</source>
        <translation>本柜台暂停中，请先恢复服务再叫号。</translation>
    </message>
    <message>
        <source>Another counter took that customer at the same moment: press again.</source>
        <translation>另一个柜台同时叫了这位客户，请再按一次。</translation>
    </message>
    <message>
        <source>Ticket {number} is already in {service}.</source>
        <translation>号码 {number} 已在“{service}”。</translation>
    </message>
    <message>
        <source>Choose or type a reason for the pause.</source>
        <translation>请选择或输入暂停原因。</translation>
    </message>
    <message>
        <source>Ticket {number} is still at the counter: finish or transfer it first.</source>
        <translation>号码 {number} 仍在柜台，请先完成或转介。</translation>
    </message>
    <message>
        <source>The expected return time is in the past.</source>
        <translation>预计回来时间已过。</translation>
    </message>
    <message>
        <source>The expected return is more than {hours} h away: pause without a return time.</source>
        <translation>预计回来时间超过 {hours} 小时，请不填回来时间。</translation>
    </message>
    <message>
        <source>This counter is not paused.</source>
        <translation>本柜台没有暂停。</translation>
    </message>
    <message>
        <source>Ticket {number} is no longer in line: there is nothing to reprint.</source>
        <translation>号码 {number} 已不在排队中，无需补打。</translation>
    </message>
    <message>
        <source>Ticket {number} was not issued at a kiosk, so no kiosk can print it.</source>
        <translation>号码 {number} 不是由取号机发出，没有取号机可以补打。</translation>
    </message>
    <message>
        <source>The clock says {day} but tickets exist for {newest}: set the clock (network time) first.</source>
        <translation>时钟显示 {day}，但已有 {newest} 的号码单：请先校正时间（网络校时）。</translation>
    </message>
    <message>
        <source>There is no ticket {number} today.</source>
        <translation>今天没有号码 {number}。</translation>
    </message>
    <message>
        <source>Reprints</source>
        <translation>补打次数</translation>
    </message>
    <message>
        <source>Reprint selected ticket</source>
        <translation>补打所选号码单</translation>
    </message>
    <message>
        <source>Select a ticket in the log first</source>
        <translation>请先在记录中选择号码单</translation>
    </message>
    <message>
        <source>Only today's tickets can be reprinted</source>
        <translation>只可补打今天的号码单</translation>
    </message>
    <message>
        <source>Manager view</source>
        <translation>主管查看</translation>
    </message>
    <message>
        <source>Staff PIN</source>
        <translation>员工密码</translation>
    </message>
    <message>
        <source>Manager PIN</source>
        <translation>主管密码</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Wrong PIN</source>
        <translation>密码错误</translation>
    </message>
    <message>
        <source>Only a manager can open this view</source>
        <translation>只有主管可打开此画面</translation>
    </message>
    <message>
        <source>The PIN cannot be checked now: the queue does not answer</source>
        <translation>暂时无法核对密码：排队系统没有响应</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in {s} s.</source>
        <translation>密码错误次数过多，请于 {s} 秒后再试。</translation>
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
        <translation>业务</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>号码</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Daily PDF report…</source>
        <translation>每日 PDF 报表…</translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation>号码单</translation>
    </message>
    <message>
        <source>Mean wait</source>
        <translation>平均等候</translation>
    </message>
    <message>
        <source>Median wait</source>
        <translation>等候中位数</translation>
    </message>
    <message>
        <source>90% waited less than</source>
        <translation>九成等候少于</translation>
    </message>
    <message>
        <source>Called within target</source>
        <translation>目标时间内叫号</translation>
    </message>
    <message>
        <source>Mean service time</source>
        <translation>平均办理时间</translation>
    </message>
    <message>
        <source>No-shows</source>
        <translation>过号未到</translation>
    </message>
    <message>
        <source>Transfers</source>
        <translation>转介</translation>
    </message>
    <message>
        <source>Still open</source>
        <translation>尚未完成</translation>
    </message>
    <message>
        <source>Mean wait by hour of issue (minutes)</source>
        <translation>各时段平均等候（分钟）</translation>
    </message>
    <message>
        <source>min</source>
        <translation>分钟</translation>
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
        <translation>已叫号</translation>
    </message>
    <message>
        <source>serving</source>
        <translation>办理中</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>no_show</source>
        <translation>过号未到</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>取号</translation>
    </message>
    <message>
        <source>Called</source>
        <translation>叫号</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Wait (min)</source>
        <translation>等候（分钟）</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <source>Waiting-time report</source>
        <translation>等候时间报表</translation>
    </message>
    <message>
        <source>no tickets in this period</source>
        <translation>此期间没有号码单</translation>
    </message>
    <message>
        <source>Arrivals</source>
        <translation>到访人数</translation>
    </message>
    <message>
        <source>Median time to greet</source>
        <translation>问候时间中位数</translation>
    </message>
    <message>
        <source>Greeted within target</source>
        <translation>目标时间内问候</translation>
    </message>
    <message>
        <source>Not greeted</source>
        <translation>未获问候</translation>
    </message>
    <message>
        <source>Left without a ticket</source>
        <translation>未取号离开</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>重新开启</translation>
    </message>
    <message>
        <source>Select a replied follow-up first</source>
        <translation>请先选择一项已回复事项</translation>
    </message>
    <message>
        <source>Say in the note why it is opened again</source>
        <translation>请在备注说明重新开启的原因</translation>
    </message>
    <message>
        <source>Opened again</source>
        <translation>已重新开启</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>回复期限</translation>
    </message>
    <message>
        <source>Open follow-ups</source>
        <translation>待回复</translation>
    </message>
    <message>
        <source>Replied</source>
        <translation>已回复</translation>
    </message>
    <message>
        <source>(late)</source>
        <translation>（逾时）</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Bring back a no-show…</source>
        <translation>过号客户回队…</translation>
    </message>
    <message>
        <source>Call a number…</source>
        <translation>指定叫号…</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>来访类别</translation>
    </message>
    <message>
        <source>Close the day</source>
        <translation>结束今日营业</translation>
    </message>
    <message>
        <source>Complaint: {n}</source>
        <translation>投诉：{n}</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Phone alerts</source>
        <translation>手机提醒</translation>
    </message>
    <message>
        <source>Log a call or letter…</source>
        <translation>登记来电或来函…</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>How</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Letter</source>
        <translation>来函</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>电邮</translation>
    </message>
    <message>
        <source>Walk-in</source>
        <translation>来访</translation>
    </message>
    <message>
        <source>Praise</source>
        <translation>表扬</translation>
    </message>
    <message>
        <source>What the customer said</source>
        <translation>客户反映的内容</translation>
    </message>
    <message>
        <source>Reply promised</source>
        <translation>需回复</translation>
    </message>
    <message>
        <source>Logged.</source>
        <translation>已登记。</translation>
    </message>
    <message>
        <source>On the follow-up board.</source>
        <translation>已列入待回复事项。</translation>
    </message>
    <message>
        <source>No-shows: alerted / not</source>
        <translation>过号率：有提醒／无提醒</translation>
    </message>
    <message>
        <source>Appointments</source>
        <translation>预约</translation>
    </message>
    <message>
        <source>Check in a booking…</source>
        <translation>预约报到…</translation>
    </message>
    <message>
        <source>Check in a booking</source>
        <translation>预约报到</translation>
    </message>
    <message>
        <source>Check in</source>
        <translation>报到</translation>
    </message>
    <message>
        <source>Checked in: {n}</source>
        <translation>已报到：{n}</translation>
    </message>
    <message>
        <source>Booked</source>
        <translation>已预约</translation>
    </message>
    <message>
        <source>Checked in</source>
        <translation>已报到</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>迟到</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>预约编号</translation>
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
        <translation>取消预约</translation>
    </message>
    <message>
        <source>Add a booking</source>
        <translation>新增预约</translation>
    </message>
    <message>
        <source>Booking added</source>
        <translation>已新增预约</translation>
    </message>
    <message>
        <source>Booking moved</source>
        <translation>预约已改期</translation>
    </message>
    <message>
        <source>Booking cancelled</source>
        <translation>预约已取消</translation>
    </message>
    <message>
        <source>No bookings on this day</source>
        <translation>这一天没有预约</translation>
    </message>
    <message>
        <source>Did not come</source>
        <translation>未到场</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>The queue's database cannot be reached right now.</source>
        <translation>目前无法连接到排队系统的数据库。</translation>
    </message>
    <message>
        <source>This page tries again by itself every few seconds.</source>
        <translation>本页每隔几秒会自动重试。</translation>
    </message>
    <message>
        <source>What you sent was not saved: send it again in a moment.</source>
        <translation>刚才提交的内容没有保存，请稍后再提交一次。</translation>
    </message>
    <message>
        <source>Booking {n}: {problem}</source>
        <translation>第 {n} 笔预约：{problem}</translation>
    </message>
    <message>
        <source>There is no service {service} (known: {known}).</source>
        <translation>没有“{service}”这项业务（现有：{known}）。</translation>
    </message>
    <message>
        <source>The time is not between the years 2000 and 2100.</source>
        <translation>时间须在 2000 年至 2100 年之间。</translation>
    </message>
    <message>
        <source>{service} is closed at {time}.</source>
        <translation>{service}在 {time} 不办理。</translation>
    </message>
    <message>
        <source>Reference {ref} is not 4 to 16 letters and digits.</source>
        <translation>预约编号 {ref} 须为 4 至 16 个英文字母或数字。</translation>
    </message>
    <message>
        <source>The name is longer than 80 characters.</source>
        <translation>姓名超过 80 个字。</translation>
    </message>
    <message>
        <source>{phone} is not a phone number.</source>
        <translation>{phone} 不是有效的电话号码。</translation>
    </message>
    <message>
        <source>Reference {ref} appears twice.</source>
        <translation>预约编号 {ref} 重复出现。</translation>
    </message>
    <message>
        <source>Already booked: {refs}.</source>
        <translation>这些预约编号已有预约：{refs}。</translation>
    </message>
    <message>
        <source>Appointment {ref} is checked in already: it is a ticket now.</source>
        <translation>预约 {ref} 已报到，已转为号码牌。</translation>
    </message>
    <message>
        <source>Give the date and time, e.g. 2026-12-07 10:30</source>
        <translation>请填写日期与时间，例如 2026-12-07 10:30</translation>
    </message>
    <message>
        <source>Estimates: mean error</source>
        <translation>预估误差（平均）</translation>
    </message>
    <message>
        <source>Waits inside the quoted range</source>
        <translation>等候落在预估范围内</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系方式</translation>
    </message>
    <message>
        <source>Counters today</source>
        <translation>今日柜台</translation>
    </message>
    <message>
        <source>Follow-up overdue: {n}</source>
        <translation>逾期未回复：{n}</translation>
    </message>
    <message>
        <source>Follow-ups</source>
        <translation>待回复事项</translation>
    </message>
    <message>
        <source>Follow-up…</source>
        <translation>需回复…</translation>
    </message>
    <message>
        <source>Mark replied</source>
        <translation>标记已回复</translation>
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
        <translation>尚无人员登录</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Only if the customer agrees</source>
        <translation>须经客户同意</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>Reception log</source>
        <translation>接待登记</translation>
    </message>
    <message>
        <source>Replied in time</source>
        <translation>限时内回复</translation>
    </message>
    <message>
        <source>Replied late</source>
        <translation>逾时回复</translation>
    </message>
    <message>
        <source>Reply rate</source>
        <translation>回复率</translation>
    </message>
    <message>
        <source>Reply recorded</source>
        <translation>已记录回复</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>Select an open follow-up first</source>
        <translation>请先选择一项待回复事项</translation>
    </message>
    <message>
        <source>Served</source>
        <translation>已办理</translation>
    </message>
    <message>
        <source>Served by</source>
        <translation>办理人员</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Sign in…</source>
        <translation>登录…</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation>登录人员</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>The reply to {n} is overdue: answer the customer today</source>
        <translation>{n} 的回复已逾期，请今日答复客户</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>来访人次</translation>
    </message>
    <message>
        <source>Waiting-time log</source>
        <translation>等候时间记录</translation>
    </message>
    <message>
        <source>What the customer was told</source>
        <translation>答复客户的内容</translation>
    </message>
    <message>
        <source>What was promised</source>
        <translation>承诺客户的事项</translation>
    </message>
    <message>
        <source>Why out of turn (kept in the log)</source>
        <translation>不按顺序叫号的原因（记入日志）</translation>
    </message>
    <message>
        <source>Your PIN</source>
        <translation>您的个人密码</translation>
    </message>
    <message>
        <source>open</source>
        <translation>待回复</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>replied</source>
        <translation>已回复</translation>
    </message>
    <message>
        <source>target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>{n} did not come and is now a no-show</source>
        <translation>{n} 未到，已记为过号</translation>
    </message>
    <message>
        <source>{n} is back in line</source>
        <translation>{n} 已回到队伍中</translation>
    </message>
    <message>
        <source>came back after a no-show</source>
        <translation>过号后回队</translation>
    </message>
    <message>
        <source>from its next call</source>
        <translation>自下一次叫号起</translation>
    </message>
    <message>
        <source>The day is closed</source>
        <translation>今日营业已结束</translation>
    </message>
    <message>
        <source>by phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>in person</source>
        <translation>当面</translation>
    </message>
    <message>
        <source>by letter</source>
        <translation>书面</translation>
    </message>
    <message>
        <source>by e-mail</source>
        <translation>电子邮件</translation>
    </message>
    <message>
        <source>{count} ticket(s) are still open ({numbers}): serve them or mark them no-show before closing the day.</source>
        <translation>还有 {count} 张号码未办结（{numbers}）：请先办理或标记过号，再结束营业。</translation>
    </message>
    <message>
        <source>Nobody is signed in at this counter: sign in first.</source>
        <translation>本柜台尚无人员登录，请先登录。</translation>
    </message>
    <message>
        <source>That name and PIN do not match.</source>
        <translation>姓名与密码不符。</translation>
    </message>
    <message>
        <source>Too many wrong PINs: try again in {retry_after} s.</source>
        <translation>密码错误次数过多，请 {retry_after} 秒后再试。</translation>
    </message>
    <message>
        <source>Only a manager can do this.</source>
        <translation>只有主管可以执行此操作。</translation>
    </message>
    <message>
        <source>{number} was called again {limit} times: mark a no-show (they can be brought back if they come).</source>
        <translation>{number} 已重叫 {limit} 次：请标记过号（客户回来时可回队）。</translation>
    </message>
    <message>
        <source>A follow-up needs a short note of what was promised.</source>
        <translation>需回复的事项请简短注明承诺内容。</translation>
    </message>
    <message>
        <source>There is no category {category}.</source>
        <translation>没有“{category}”这个类别。</translation>
    </message>
    <message>
        <source>The note or contact is too long.</source>
        <translation>备注或联系方式太长。</translation>
    </message>
    <message>
        <source>Calling out of turn needs a reason.</source>
        <translation>不按顺序叫号需要说明原因。</translation>
    </message>
    <message>
        <source>Nobody with number {number} is waiting.</source>
        <translation>没有号码 {number} 的客户在等候。</translation>
    </message>
    <message>
        <source>{number} is waiting for {service}, which this counter does not serve.</source>
        <translation>{number} 等候的是“{service}”，本柜台不办理。</translation>
    </message>
    <message>
        <source>{number} is {state}, not a no-show: only a no-show can be brought back.</source>
        <translation>{number} 目前为“{state}”，不是过号：只有过号的号码可以回队。</translation>
    </message>
    <message>
        <source>No counter would serve that service any more: its customers would wait forever.</source>
        <translation>这样将没有柜台办理该业务，等候的客户将无人服务。</translation>
    </message>
    <message>
        <source>A counter serves at least one service.</source>
        <translation>每个柜台至少办理一项业务。</translation>
    </message>
    <message>
        <source>This follow-up is already replied.</source>
        <translation>此事项已回复。</translation>
    </message>
    <message>
        <source>No reply was promised at this visit, so there is no slip to print.</source>
        <translation>此次服务没有需回复的事项，无回复通知单可打印。</translation>
    </message>
    <message>
        <source>No printer is known for slips: set this counter's slip_printer in the configuration.</source>
        <translation>未设置打印回复通知单的打印机：请在配置中填写此柜台的 slip_printer。</translation>
    </message>
    <message>
        <source>Print a slip for the customer</source>
        <translation>打印回复通知单给客户</translation>
    </message>
    <message>
        <source>The slip with the reply time is printing at {p}</source>
        <translation>回复通知单正在 {p} 打印</translation>
    </message>
    <message>
        <source>the kiosk</source>
        <translation>取号机</translation>
    </message>
    <message>
        <source>This follow-up is still open.</source>
        <translation>此事项尚未回复。</translation>
    </message>
    <message>
        <source>Reopening needs a reason.</source>
        <translation>重新开启需要说明原因。</translation>
    </message>
    <message>
        <source>Choose how the customer was answered.</source>
        <translation>请选择答复客户的方式。</translation>
    </message>
    <message>
        <source>Say who replied.</source>
        <translation>请注明回复人员。</translation>
    </message>
    <message>
        <source>dashed line: the target wait</source>
        <translation>虚线：目标等候时间</translation>
    </message>
    <message>
        <source>As usual</source>
        <translation>依类别</translation>
    </message>
    <message>
        <source>days</source>
        <translation>天</translation>
    </message>
    <message>
        <source>Reply within</source>
        <translation>回复期限</translation>
    </message>
    <message>
        <source>A reply time is {low} to {high} hours.</source>
        <translation>回复期限须为 {low} 至 {high} 小时。</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>叫号</translation>
    </message>
    <message>
        <source>Reprint</source>
        <translation>补印</translation>
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
        <translation>不定时</translation>
    </message>
    <message>
        <source>Ticket number</source>
        <translation>号码</translation>
    </message>
    <message>
        <source>Today's no-shows</source>
        <translation>今日过号</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>预约</translation>
    </message>
    <message>
        <source>Sent back from another counter</source>
        <translation>由其他柜台转回</translation>
    </message>
    <message>
        <source>Needs this counter's staff</source>
        <translation>需本柜台人员办理</translation>
    </message>
    <message>
        <source>A reason from the list is shown on the display; one typed here only on staff screens.</source>
        <translation>清单中的原因会显示在叫号屏幕；自行输入的原因只在员工画面显示。</translation>
    </message>
    <message>
        <source>Awaiting a reply</source>
        <translation>待回复</translation>
    </message>
    <message>
        <source>no more recalls: mark a no-show if they do not come</source>
        <translation>已达重呼上限：未到请标记过号</translation>
    </message>
    <message>
        <source>Close the day now? Every counter closes and everyone signed in is signed out.</source>
        <translation>现在结束营业吗？所有柜台将关闭，已签到的人员将全部签退。</translation>
    </message>
    <message>
        <source>Yes, close the day</source>
        <translation>是，结束营业</translation>
    </message>
    <message>
        <source>Keep the day open</source>
        <translation>不，继续营业</translation>
    </message>
    <message>
        <source>Say in the note what the customer was told.</source>
        <translation>请在备注写明答复客户的内容。</translation>
    </message>
    <message>
        <source>You are serving {number} at counter {counter}: finish or transfer it there first.</source>
        <translation>您正在 {counter} 号柜台办理 {number}：请先在该柜台完成或转办。</translation>
    </message>
    <message>
        <source>Answers in</source>
        <translation>响应时间</translation>
    </message>
    <message>
        <source>Clock is off</source>
        <translation>时钟不准</translation>
    </message>
    <message>
        <source>Close the day…</source>
        <translation>结束今日营业…</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Cover open</source>
        <translation>机盖未关</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Devices that need someone: {n}</source>
        <translation>需要处理的设备：{n}</translation>
    </message>
    <message>
        <source>Enter your PIN</source>
        <translation>请输入您的密码</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
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
        <translation>时好时坏</translation>
    </message>
    <message>
        <source>Hall health</source>
        <translation>大厅设备状态</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Last backup</source>
        <translation>上次备份</translation>
    </message>
    <message>
        <source>Live updates paused: reconnecting…</source>
        <translation>实时更新暂停：重新连接中…</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>No alerts today</source>
        <translation>今天没有警示</translation>
    </message>
    <message>
        <source>No follow-ups</source>
        <translation>没有待回复事项</translation>
    </message>
    <message>
        <source>None reported yet</source>
        <translation>尚无回报</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>找不到设备</translation>
    </message>
    <message>
        <source>Not heard from</source>
        <translation>没有回应</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Out of paper</source>
        <translation>缺纸</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>页面</translation>
    </message>
    <message>
        <source>Paper low</source>
        <translation>纸张将用完</translation>
    </message>
    <message>
        <source>Printers</source>
        <translation>打印机</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Reply by</source>
        <translation>回复期限</translation>
    </message>
    <message>
        <source>Screens and kiosks</source>
        <translation>屏幕与取号机</translation>
    </message>
    <message>
        <source>Sensors</source>
        <translation>传感器</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Skip to the content</source>
        <translation>跳到主要内容</translation>
    </message>
    <message>
        <source>Staff alerts today</source>
        <translation>今天的员工警示</translation>
    </message>
    <message>
        <source>Target wait</source>
        <translation>目标等候时间</translation>
    </message>
    <message>
        <source>The newest {n} of {m} tickets; the CSV has them all.</source>
        <translation>显示最新 {n} 张（共 {m} 张）；CSV 文件含全部。</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Waiting now</source>
        <translation>目前等候人数</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>checked</source>
        <translation>检查于</translation>
    </message>
    <message>
        <source>clock</source>
        <translation>时钟</translation>
    </message>
    <message>
        <source>counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <source>device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>display</source>
        <translation>叫号屏幕</translation>
    </message>
    <message>
        <source>kiosk</source>
        <translation>取号机</translation>
    </message>
    <message>
        <source>last ticket</source>
        <translation>最后一张</translation>
    </message>
    <message>
        <source>manager</source>
        <translation>主管</translation>
    </message>
    <message>
        <source>none recorded</source>
        <translation>没有记录</translation>
    </message>
    <message>
        <source>printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <source>sensor</source>
        <translation>传感器</translation>
    </message>
    <message>
        <source>since</source>
        <translation>自</translation>
    </message>
    <message>
        <source>last heard</source>
        <translation>最后联系</translation>
    </message>
</context>
</TS>
