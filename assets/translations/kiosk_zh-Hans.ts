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
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Wrong PIN</source>
        <translation>密码错误</translation>
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
</context>
</TS>
