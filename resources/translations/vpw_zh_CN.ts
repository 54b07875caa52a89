<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AssessmentPanel</name>
    <message>
        <source>Assessment</source>
        <translation>口语评测</translation>
    </message>
    <message>
        <source>Assessment warrant</source>
        <translation>评测授权</translation>
    </message>
    <message>
        <source>An assessment device needs a warrant from SingSound for each user. It is signed here with this profile&apos;s app secret, which never leaves this computer.</source>
        <translation>评测设备需要先声为每个用户签发授权。请求在本机用此配置的 app_secret 签名，密钥不会离开本机。</translation>
    </message>
    <message>
        <source>The merchant&apos;s id of the person assessed</source>
        <translation>被评测者在商户系统中的用户 ID</translation>
    </message>
    <message>
        <source>User ID</source>
        <translation>用户 ID</translation>
    </message>
    <message>
        <source>User ID:</source>
        <translation>用户 ID：</translation>
    </message>
    <message>
        <source>Public IP address of the assessment device</source>
        <translation>评测设备的公网 IP 地址</translation>
    </message>
    <message>
        <source>Client IP address</source>
        <translation>客户端 IP 地址</translation>
    </message>
    <message>
        <source>Detect</source>
        <translation>检测</translation>
    </message>
    <message>
        <source>Fill in this computer&apos;s address</source>
        <translation>填入本机地址</translation>
    </message>
    <message>
        <source>Fill in the address this computer uses towards the internet</source>
        <translation>填入本机访问互联网所用的地址</translation>
    </message>
    <message>
        <source>Client IP:</source>
        <translation>客户端 IP：</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Warrant lifetime in seconds</source>
        <translation>授权有效期（秒）</translation>
    </message>
    <message>
        <source>Lifetime:</source>
        <translation>有效期：</translation>
    </message>
    <message>
        <source>Reuse a cached warrant while it is still valid</source>
        <translation>缓存的授权仍有效时直接复用</translation>
    </message>
    <message>
        <source>Reuse a cached warrant</source>
        <translation>复用缓存的授权</translation>
    </message>
    <message>
        <source>Get warrant</source>
        <translation>获取授权</translation>
    </message>
    <message>
        <source>Get a warrant for this user</source>
        <translation>为该用户获取授权</translation>
    </message>
    <message>
        <source>Merchant warrant service</source>
        <translation>商户授权服务</translation>
    </message>
    <message>
        <source>Assessment devices ask this service for warrants (POST /warrant with their device token); it answers only the warrant, never the secret.</source>
        <translation>评测设备向此服务申请授权（携带设备令牌 POST /warrant）；服务只返回授权，从不返回密钥。</translation>
    </message>
    <message>
        <source>Service address</source>
        <translation>服务地址</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <source>Service state</source>
        <translation>服务状态</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Warrants issued by the service</source>
        <translation>服务已签发的授权</translation>
    </message>
    <message>
        <source>Devices served:</source>
        <translation>已服务的设备：</translation>
    </message>
    <message>
        <source>No device tokens are configured, so no device could get a warrant and the service cannot start. Switch to your own profile and set them in Settings (SingSound, Device tokens); Settings → Help explains the other way.</source>
        <translation>尚未配置设备令牌，因此没有设备能获取授权，服务无法启动。请切换到您自己的配置，在“设置”（先声，设备令牌）中设置；另一种方式见“设置”→“帮助”。</translation>
    </message>
    <message>
        <source>No device tokens are configured, so no device could get a warrant and the service cannot start. Set them in Settings (SingSound, Device tokens).</source>
        <translation>尚未配置设备令牌，因此没有设备能获取授权，服务无法启动。请在“设置”（先声，设备令牌）中设置。</translation>
    </message>
    <message>
        <source>No device has asked for a warrant yet.</source>
        <translation>还没有设备申请过授权。</translation>
    </message>
    <message>
        <source>%1 issued, %2 refused by SingSound to devices</source>
        <translation>先声已向设备签发 %1 个、拒绝 %2 个</translation>
    </message>
    <message>
        <source>Device tokens</source>
        <translation>设备令牌</translation>
    </message>
    <message>
        <source>Devices:</source>
        <translation>设备：</translation>
    </message>
    <message>
        <source>Filled in with this computer&apos;s address. Behind a router (NAT), SingSound sees the router&apos;s public address: type that instead.</source>
        <translation>已填入本机地址。如果本机位于路由器（NAT）之后，先声看到的是路由器的公网地址，请改填该地址。</translation>
    </message>
    <message>
        <source>Asking SingSound…</source>
        <translation>正在向先声申请…</translation>
    </message>
    <message>
        <source>%1 device token(s) configured</source>
        <translation>已配置 %1 个设备令牌</translation>
    </message>
    <message>
        <source>%1 (when started)</source>
        <translation>%1（启动后）</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Running: devices can ask for warrants</source>
        <translation>运行中：设备可以申请授权</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Could not start: %1</source>
        <translation>无法启动：%1</translation>
    </message>
    <message>
        <source>Stop the service</source>
        <translation>停止服务</translation>
    </message>
    <message>
        <source>Start the service</source>
        <translation>启动服务</translation>
    </message>
    <message>
        <source>Stop the merchant warrant service</source>
        <translation>停止商户授权服务</translation>
    </message>
    <message>
        <source>Start the merchant warrant service</source>
        <translation>启动商户授权服务</translation>
    </message>
    <message>
        <source>the port is already in use; choose another in Settings (SingSound, Warrant server port).</source>
        <translation>端口已被占用；请在“设置”（先声 → 授权服务端口）中另选一个。</translation>
    </message>
    <message>
        <source>this computer has no such address; check Settings (SingSound, Warrant server host).</source>
        <translation>本机没有该地址；请检查“设置”（先声 → 授权服务主机）。</translation>
    </message>
    <message>
        <source>Last request: user %1</source>
        <translation>最近一次请求：用户 %1</translation>
    </message>
</context>
<context>
    <name>AudioCheck</name>
    <message>
        <source>Microphone</source>
        <translation>麦克风</translation>
    </message>
    <message>
        <source>Speaker</source>
        <translation>扬声器</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>Refresh devices</source>
        <translation>刷新设备</translation>
    </message>
    <message>
        <source>Refresh the list of audio devices</source>
        <translation>刷新音频设备列表</translation>
    </message>
    <message>
        <source>Microphone level</source>
        <translation>麦克风电平</translation>
    </message>
    <message>
        <source>Test microphone</source>
        <translation>测试麦克风</translation>
    </message>
    <message>
        <source>Start or stop the microphone test</source>
        <translation>开始或停止麦克风测试</translation>
    </message>
    <message>
        <source>Play test tone</source>
        <translation>播放测试音</translation>
    </message>
    <message>
        <source>Play a test tone on the speaker</source>
        <translation>在扬声器上播放测试音</translation>
    </message>
    <message>
        <source>Audio check status</source>
        <translation>音频检查状态</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>电平</translation>
    </message>
    <message>
        <source>%1 (not found)</source>
        <translation>%1（未找到）</translation>
    </message>
    <message>
        <source>Looking for audio devices…</source>
        <translation>正在查找音频设备……</translation>
    </message>
    <message>
        <source>%1 microphones, %2 speakers found</source>
        <translation>找到 %1 个麦克风、%2 个扬声器</translation>
    </message>
    <message>
        <source>Stop test</source>
        <translation>停止测试</translation>
    </message>
    <message>
        <source>Speak: the bar should move into the green band.</source>
        <translation>请说话：电平条应进入绿色区域。</translation>
    </message>
    <message>
        <source>Microphone test ended; %1 input overflows</source>
        <translation>麦克风测试结束；输入溢出 %1 次</translation>
    </message>
    <message>
        <source>Playing a test tone…</source>
        <translation>正在播放测试音……</translation>
    </message>
    <message>
        <source>Test tone played. Did you hear it?</source>
        <translation>测试音已播放。听到了吗？</translation>
    </message>
</context>
<context>
    <name>CalibrationFigures</name>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Engine:</source>
        <translation>引擎：</translation>
    </message>
    <message>
        <source>Equal error rate:</source>
        <translation>等错误率：</translation>
    </message>
    <message>
        <source>Threshold for 1 % false accepts:</source>
        <translation>误接受率 1 % 的阈值：</translation>
    </message>
    <message>
        <source>Threshold for 0.1 % false accepts:</source>
        <translation>误接受率 0.1 % 的阈值：</translation>
    </message>
    <message>
        <source>Trials:</source>
        <translation>试验：</translation>
    </message>
    <message>
        <source>Skipped files:</source>
        <translation>跳过的文件：</translation>
    </message>
    <message>
        <source>%1 at threshold %2</source>
        <translation>%1，阈值 %2</translation>
    </message>
    <message>
        <source>%1 (measured: false accepts %2, false rejects %3)</source>
        <translation>%1（实测：误接受率 %2，误拒绝率 %3）</translation>
    </message>
    <message>
        <source>Too few impostor trials to measure this rate: this threshold only rejects every impostor seen.</source>
        <translation>冒认试验太少，无法测量这个比率：此阈值只是拒绝了所有见到的冒认者。</translation>
    </message>
    <message>
        <source>%1 same-speaker, %2 other-speaker (%3 speakers, %4 recordings)</source>
        <translation>同人 %1 次，异人 %2 次（%3 位说话人，%4 段录音）</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>… and %1 more</source>
        <translation>……另有 %1 个</translation>
    </message>
</context>
<context>
    <name>CalibrationPanel</name>
    <message>
        <source>Calibration</source>
        <translation>校准</translation>
    </message>
    <message>
        <source>Calibrate the sandbox&apos;s accept threshold</source>
        <translation>校准沙箱的接受阈值</translation>
    </message>
    <message>
        <source>Measures how well the sandbox&apos;s speaker engine tells your speakers apart and suggests an accept threshold. Choose a folder that holds one sub-folder of recordings per speaker (at least two speakers with two recordings each). Only the voice counts here; the digits read do not (the sandbox hears English digits only).</source>
        <translation>测量沙箱声纹引擎区分您的说话人的能力，并给出建议的接受阈值。请选择一个文件夹，其中每位说话人各有一个录音子文件夹（至少两位说话人，每人至少两段录音）。这里只看声音，不看所读的数字（沙箱只能听懂英文数字）。</translation>
    </message>
    <message>
        <source>Synthetic voices (such as eSpeak test voices) are not people: the error rates they give say nothing about real speakers. Take the threshold from real recordings of the people who will use this system, made with your own microphones, in your own rooms.</source>
        <translation>合成语音（例如 eSpeak 测试语音）不是真人：用它们得到的错误率不能说明真实说话人的情况。请用将要使用本系统的真人、在您自己的麦克风和房间中录制的真实录音来确定阈值。</translation>
    </message>
    <message>
        <source>Folder with one sub-folder of recordings per speaker</source>
        <translation>每位说话人一个录音子文件夹的目录</translation>
    </message>
    <message>
        <source>Recordings folder</source>
        <translation>录音文件夹</translation>
    </message>
    <message>
        <source>Choose folder…</source>
        <translation>选择文件夹…</translation>
    </message>
    <message>
        <source>Choose the recordings folder</source>
        <translation>选择录音文件夹</translation>
    </message>
    <message>
        <source>Recordings:</source>
        <translation>录音：</translation>
    </message>
    <message>
        <source>Speaker engine</source>
        <translation>声纹引擎</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Run the calibration</source>
        <translation>运行校准</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancel the calibration</source>
        <translation>取消校准</translation>
    </message>
    <message>
        <source>Engine:</source>
        <translation>引擎：</translation>
    </message>
    <message>
        <source>How the default threshold was set</source>
        <translation>默认阈值的由来</translation>
    </message>
    <message>
        <source>Calibration progress</source>
        <translation>校准进度</translation>
    </message>
    <message>
        <source>Threshold to apply</source>
        <translation>要应用的阈值</translation>
    </message>
    <message>
        <source>Apply to sandbox</source>
        <translation>应用到沙箱</translation>
    </message>
    <message>
        <source>Store the chosen threshold in the sandbox profile</source>
        <translation>把所选阈值保存到沙箱配置</translation>
    </message>
    <message>
        <source>Save plot…</source>
        <translation>保存图…</translation>
    </message>
    <message>
        <source>Save the plot as a PNG file</source>
        <translation>把图保存为 PNG 文件</translation>
    </message>
    <message>
        <source>Threshold:</source>
        <translation>阈值：</translation>
    </message>
    <message>
        <source>Neural (GE2E)</source>
        <translation>神经网络（GE2E）</translation>
    </message>
    <message>
        <source>Simple statistics</source>
        <translation>简单统计</translation>
    </message>
    <message>
        <source>Neural (CAM++, Chinese and English)</source>
        <translation>神经网络（CAM++，中英文）</translation>
    </message>
    <message>
        <source>%1 (the sandbox&apos;s engine)</source>
        <translation>%1（沙箱使用的引擎）</translation>
    </message>
    <message>
        <source>%1 (not installed)</source>
        <translation>%1（未安装）</translation>
    </message>
    <message>
        <source>This engine&apos;s default threshold was not measured on any voices.</source>
        <translation>此引擎的默认阈值未在任何语音上测量过。</translation>
    </message>
    <message>
        <source>Default threshold %1: %2 false accepts on synthetic voices, not people (see tooltip).</source>
        <translation>默认阈值 %1：在合成声音（不是真人）上的误接受率为 %2（详见提示）。</translation>
    </message>
    <message>
        <source>Default threshold %1, set for %2 false accepts on %3 synthetic voices (neural TTS reading digits in English and Mandarin, %4 trials): there it rejected %5 of genuine tries; equal error rate %6. Synthetic voices are not people: calibrate on your own recordings.</source>
        <translation>默认阈值 %1：按 %2 的误接受率，在 %3 个合成语音（神经网络语音合成朗读英语和普通话数字，%4 次比对）上设定；在该数据上它拒绝了 %5 的真实尝试，等错误率 %6。合成语音不是真人：请用您自己的录音校准。</translation>
    </message>
    <message>
        <source>At the equal error rate</source>
        <translation>等错误率处</translation>
    </message>
    <message>
        <source>For 1 % false accepts</source>
        <translation>误接受率 1 %</translation>
    </message>
    <message>
        <source>For 0.1 % false accepts</source>
        <translation>误接受率 0.1 %</translation>
    </message>
    <message>
        <source>Folder of speaker folders</source>
        <translation>说话人文件夹所在目录</translation>
    </message>
    <message>
        <source>Choose a folder of recordings first.</source>
        <translation>请先选择录音文件夹。</translation>
    </message>
    <message>
        <source>Loading the speaker engine…</source>
        <translation>正在加载声纹引擎…</translation>
    </message>
    <message>
        <source>Cancelling after the current recording…</source>
        <translation>处理完当前录音后取消…</translation>
    </message>
    <message>
        <source>Reading %1 (%2 of %3)</source>
        <translation>正在读取 %1（第 %2 个，共 %3 个）</translation>
    </message>
    <message>
        <source>Cancelled; the previous results stay shown.</source>
        <translation>已取消；仍显示之前的结果。</translation>
    </message>
    <message>
        <source>Done in %1 s.</source>
        <translation>完成，用时 %1 秒。</translation>
    </message>
    <message>
        <source>the engine&apos;s default</source>
        <translation>引擎默认值</translation>
    </message>
    <message>
        <source>Change the accept threshold</source>
        <translation>更改接受阈值</translation>
    </message>
    <message>
        <source>Change the sandbox&apos;s accept threshold?

Now: %1
New: %2

Every verification from now on is decided with the new value. The change is recorded in the audit trail.</source>
        <translation>更改沙箱的接受阈值？

当前：%1
新值：%2

此后的每次验证都将按新值判定。此更改会记入审计记录。</translation>
    </message>
    <message>
        <source>The threshold was not stored: %1</source>
        <translation>阈值未保存：%1</translation>
    </message>
    <message>
        <source>Sandbox threshold set to %1 (was %2) in %3. The built-in sandbox uses it from now on; a sandbox started separately uses it once restarted.</source>
        <translation>沙箱阈值已设为 %1（原为 %2），写入 %3。内置沙箱立即使用；单独启动的沙箱需重启后生效。</translation>
    </message>
    <message>
        <source>The threshold change could not be recorded in the audit trail.</source>
        <translation>阈值更改未能记入审计记录。</translation>
    </message>
    <message>
        <source>Save plot</source>
        <translation>保存图</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Cannot save the plot to %1: %2</source>
        <translation>无法把图保存到 %1：%2</translation>
    </message>
    <message>
        <source>Plot saved to %1</source>
        <translation>图已保存到 %1</translation>
    </message>
</context>
<context>
    <name>CalibrationPlot</name>
    <message>
        <source>Scores: %1 speakers, %2 recordings</source>
        <translation>得分：%1 位说话人，%2 段录音</translation>
    </message>
    <message>
        <source>Score (%1 engine)</source>
        <translation>得分（%1 引擎）</translation>
    </message>
    <message>
        <source>Share of trials</source>
        <translation>试验占比</translation>
    </message>
    <message>
        <source>Same speaker (%1)</source>
        <translation>同一说话人（%1）</translation>
    </message>
    <message>
        <source>Other speakers (%1)</source>
        <translation>其他说话人（%1）</translation>
    </message>
    <message>
        <source>EER: %1</source>
        <translation>等错误率阈值：%1</translation>
    </message>
    <message>
        <source>FAR %1: %2</source>
        <translation>误接受率 %1：%2</translation>
    </message>
    <message>
        <source>DET curve</source>
        <translation>DET 曲线</translation>
    </message>
    <message>
        <source>False accept rate</source>
        <translation>误接受率</translation>
    </message>
    <message>
        <source>False reject rate</source>
        <translation>误拒绝率</translation>
    </message>
    <message>
        <source>EER %1</source>
        <translation>等错误率 %1</translation>
    </message>
</context>
<context>
    <name>CalibrationPlotView</name>
    <message>
        <source>Score distributions and DET curve</source>
        <translation>得分分布与 DET 曲线</translation>
    </message>
    <message>
        <source>Run a calibration to see the score distributions and the DET curve.</source>
        <translation>运行一次校准即可看到得分分布和 DET 曲线。</translation>
    </message>
</context>
<context>
    <name>CallView</name>
    <message>
        <source>Session id</source>
        <translation>会话 ID</translation>
    </message>
    <message>
        <source>Code read out</source>
        <translation>播报的验证码</translation>
    </message>
    <message>
        <source>Session:</source>
        <translation>会话：</translation>
    </message>
    <message>
        <source>Called:</source>
        <translation>被叫：</translation>
    </message>
    <message>
        <source>Code read out:</source>
        <translation>播报的验证码：</translation>
    </message>
    <message>
        <source>What the platform reported</source>
        <translation>平台上报的事件</translation>
    </message>
    <message>
        <source>Bill</source>
        <translation>话单</translation>
    </message>
    <message>
        <source>Record:</source>
        <translation>记录：</translation>
    </message>
    <message>
        <source>Dialled:</source>
        <translation>呼出：</translation>
    </message>
    <message>
        <source>Answered:</source>
        <translation>接听：</translation>
    </message>
    <message>
        <source>Ended:</source>
        <translation>结束：</translation>
    </message>
    <message>
        <source>Talk time:</source>
        <translation>通话时长：</translation>
    </message>
    <message>
        <source>No call yet. Events appear here as the platform reports them.</source>
        <translation>尚未呼叫。平台上报的事件会显示在这里。</translation>
    </message>
    <message>
        <source>(not yet known)</source>
        <translation>（尚未知）</translation>
    </message>
    <message>
        <source>PLACING THE CALL…</source>
        <translation>正在发起呼叫…</translation>
    </message>
    <message>
        <source>CALL IN PROGRESS</source>
        <translation>通话进行中</translation>
    </message>
    <message>
        <source>The platform accepted the call and is dialling.</source>
        <translation>平台已受理呼叫，正在拨号。</translation>
    </message>
    <message>
        <source>Waiting for the platform&apos;s first event…</source>
        <translation>正在等待平台上报第一个事件…</translation>
    </message>
    <message>
        <source>Platform code %1</source>
        <translation>平台代码 %1</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Nothing was reported: the call was not placed.</source>
        <translation>没有事件：呼叫未发起。</translation>
    </message>
    <message>
        <source>CALL NOT PLACED</source>
        <translation>呼叫未发起</translation>
    </message>
    <message>
        <source>No event in %1 s. Check that the platform can reach the status URL; events that arrive later are still stored.</source>
        <translation>%1 秒内没有收到事件。请检查平台能否访问状态回调地址；之后到达的事件仍会保存。</translation>
    </message>
    <message>
        <source>verified</source>
        <translation>已校验</translation>
    </message>
    <message>
        <source>unverified</source>
        <translation>未校验</translation>
    </message>
    <message>
        <source>bad signature</source>
        <translation>签名错误</translation>
    </message>
    <message>
        <source>stale</source>
        <translation>已过时</translation>
    </message>
    <message>
        <source>replayed</source>
        <translation>重放</translation>
    </message>
    <message>
        <source>Ask the person to repeat the code and compare it with the one above.</source>
        <translation>请对方复述验证码，并与上方的验证码核对。</translation>
    </message>
    <message>
        <source>CODE READ OUT</source>
        <translation>验证码已播报</translation>
    </message>
    <message>
        <source>NOT REACHED</source>
        <translation>未接通</translation>
    </message>
    <message>
        <source>State code %1</source>
        <translation>状态码 %1</translation>
    </message>
    <message>
        <source>Waiting for the bill…</source>
        <translation>正在等待话单…</translation>
    </message>
    <message>
        <source>A callback was refused (%1); it is recorded with the refused callbacks.</source>
        <translation>拒绝了一个回调（%1）；已记入被拒回调记录。</translation>
    </message>
    <message>
        <source>(no record id)</source>
        <translation>（无记录 ID）</translation>
    </message>
    <message>
        <source>Not answered</source>
        <translation>未接听</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Bill %1: answered %2, ended %3</source>
        <translation>话单 %1：接听 %2，结束 %3</translation>
    </message>
</context>
<context>
    <name>DecisionBanner</name>
    <message>
        <source>ACCEPTED</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>REJECTED</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>NOT CHECKED</source>
        <translation>未核验</translation>
    </message>
    <message>
        <source>ENROLLED</source>
        <translation>已注册</translation>
    </message>
    <message>
        <source>NOT ENROLLED</source>
        <translation>未注册</translation>
    </message>
    <message>
        <source>The voiceprint service could not be reached; nothing was compared.</source>
        <translation>无法连接声纹服务；没有进行比对。</translation>
    </message>
    <message>
        <source>The service refused this workstation&apos;s credentials; nothing was compared.</source>
        <translation>服务拒绝了本工作站的凭据；没有进行比对。</translation>
    </message>
    <message>
        <source>The service did not answer in time; nothing was compared.</source>
        <translation>服务没有及时应答；没有进行比对。</translation>
    </message>
    <message>
        <source>The service&apos;s answer could not be understood; see the raw reply.</source>
        <translation>无法解析服务的应答；请查看原始应答。</translation>
    </message>
    <message>
        <source>The recording was too short to compare: more speech is needed.</source>
        <translation>录音太短，无法比对：需要更多语音。</translation>
    </message>
    <message>
        <source>The service did not compare the voice (its message is below).</source>
        <translation>服务没有比对声音（服务的消息见下）。</translation>
    </message>
    <message>
        <source>No audio was recorded or read.</source>
        <translation>没有录到或读到音频。</translation>
    </message>
    <message>
        <source>The voice matched, but the digits read differ from the prompt.</source>
        <translation>声纹相符，但朗读的数字与提示不符。</translation>
    </message>
    <message>
        <source>The voice does not match the claimed user closely enough.</source>
        <translation>声音与声称的用户不够相符。</translation>
    </message>
    <message>
        <source>The claimed user is not among the closest enrolled voices.</source>
        <translation>声称的用户不在最相近的已注册声纹之中。</translation>
    </message>
    <message>
        <source>Nobody of this name is enrolled on this service, so no voice was compared: enrol them first (Enrol panel).</source>
        <translation>此服务中没有注册这个名字，因此没有比对任何声音：请先注册（“注册”面板）。</translation>
    </message>
    <message>
        <source>The voice matched; the service reported no digits to compare.</source>
        <translation>声纹相符；服务没有报告可比对的数字。</translation>
    </message>
</context>
<context>
    <name>Deletion</name>
    <message>
        <source>• %1 local records of “%2”: enrolments and verifications with their scores, candidates, digits, audio quality metrics and the consent record; and “%2” is taken out of other people&apos;s candidate lists.</source>
        <translation>• “%2”的 %1 条本地记录：注册和验证及其分数、候选、数字、音质指标和同意记录；并从其他人的候选列表中移除“%2”。</translation>
    </message>
    <message>
        <source>• The voiceprint stored in the sandbox (%1 enrolment takes): after this, verifying “%2” answers “not enrolled”.</source>
        <translation>• 沙箱中保存的声纹（%1 次注册录入）：此后验证“%2”将答复“未注册”。</translation>
    </message>
    <message>
        <source>• NOT the voiceprint stored by the provider (%1): its API has no delete. A deletion request is recorded; you must ask the provider to delete “%2”.</source>
        <translation>• 不会删除服务商（%1）保存的声纹：其接口不提供删除。系统会记录一条删除请求；您必须请服务商删除“%2”。</translation>
    </message>
    <message>
        <source>The audit trail keeps its events (they hold no scores); the deletion is added to it. This cannot be undone.</source>
        <translation>审计记录中的事件保留（其中不含分数）；此次删除也会记入。此操作无法撤销。</translation>
    </message>
    <message>
        <source>Delete “%1” on the profile “%2”? This deletes:</source>
        <translation>删除配置“%2”上的“%1”？将删除：</translation>
    </message>
    <message>
        <source>Delete a person</source>
        <translation>删除人员</translation>
    </message>
    <message>
        <source>Deleted %1 local records of “%2”. The provider still holds the voiceprint: %3</source>
        <translation>已删除“%2”的 %1 条本地记录。服务商处仍保存着声纹：%3</translation>
    </message>
    <message>
        <source>Deleted “%1”: the sandbox voiceprint (%2 takes) and %3 local records.</source>
        <translation>已删除“%1”：沙箱声纹（%2 次录入）和 %3 条本地记录。</translation>
    </message>
    <message>
        <source>Nothing was deleted: %1</source>
        <translation>未删除任何内容：%1</translation>
    </message>
</context>
<context>
    <name>DigitComparison</name>
    <message>
        <source>The service reported no digits, so they were not compared.</source>
        <translation>服务没有报告听到的数字，因此未比对数字。</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Heard</source>
        <translation>听到</translation>
    </message>
    <message>
        <source>The digits read match the prompt.</source>
        <translation>朗读的数字与提示一致。</translation>
    </message>
    <message>
        <source>The digits read differ from the prompt at %1 of %2 places.</source>
        <translation>朗读的数字与提示有 %1 位不同（共 %2 位）。</translation>
    </message>
</context>
<context>
    <name>DigitCrossCheck</name>
    <message>
        <source>Speech recognition (Rokid) cross-check</source>
        <translation>语音识别（Rokid）交叉核对</translation>
    </message>
    <message>
        <source>Speech recognition cross-check</source>
        <translation>语音识别交叉核对</translation>
    </message>
    <message>
        <source>Transcribing the same recording…</source>
        <translation>正在转写同一段录音…</translation>
    </message>
    <message>
        <source>The cross-check could not run: %1</source>
        <translation>无法进行交叉核对：%1</translation>
    </message>
    <message>
        <source>(nothing)</source>
        <translation>（无内容）</translation>
    </message>
    <message>
        <source>Speech recognition heard no digits: “%1”.</source>
        <translation>语音识别没有听到数字：“%1”。</translation>
    </message>
    <message>
        <source>Speech recognition heard the same digits as the prompt.</source>
        <translation>语音识别听到的数字与提示一致。</translation>
    </message>
    <message>
        <source>Speech recognition heard different digits at %1 of %2 places.</source>
        <translation>语音识别听到的数字在 %2 位中有 %1 位与提示不同。</translation>
    </message>
    <message>
        <source>Transcript: “%1”</source>
        <translation>转写结果：“%1”</translation>
    </message>
</context>
<context>
    <name>DigitPrompt</name>
    <message>
        <source>Digits to read: %1</source>
        <translation>要朗读的数字：%1</translation>
    </message>
</context>
<context>
    <name>EnrolPanel</name>
    <message>
        <source>Enrol</source>
        <translation>注册</translation>
    </message>
    <message>
        <source>Enrol a speaker</source>
        <translation>注册说话人</translation>
    </message>
    <message>
        <source>The speaker&apos;s user name</source>
        <translation>说话人的用户名</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>The speaker agrees to have their voiceprint enrolled and stored</source>
        <translation>说话人同意注册并保存其声纹</translation>
    </message>
    <message>
        <source>Speaker&apos;s consent</source>
        <translation>说话人的同意</translation>
    </message>
    <message>
        <source>Ask the speaker to read these digits aloud, then keep talking naturally until the speech bar is full:</source>
        <translation>请说话人大声朗读这些数字，然后继续自然说话，直到语音进度条填满：</translation>
    </message>
    <message>
        <source>Enrol from files…</source>
        <translation>从文件注册…</translation>
    </message>
    <message>
        <source>Enrol from audio files</source>
        <translation>从音频文件注册</translation>
    </message>
    <message>
        <source>The speaker&apos;s consent is required: tick the box once they have agreed.</source>
        <translation>需要说话人的同意：对方同意后请勾选此框。</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>Own score</source>
        <translation>本人得分</translation>
    </message>
    <message>
        <source>Best other</source>
        <translation>他人最高分</translation>
    </message>
    <message>
        <source>Digits match</source>
        <translation>数字一致</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>Enrol</source>
        <translation>注册</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>Deletion</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Deletion request</source>
        <translation>删除请求</translation>
    </message>
    <message>
        <source>Data export</source>
        <translation>数据导出</translation>
    </message>
    <message>
        <source>History export</source>
        <translation>历史导出</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>呼叫</translation>
    </message>
    <message>
        <source>Callback</source>
        <translation>回调</translation>
    </message>
    <message>
        <source>Warrant</source>
        <translation>授权</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>阈值</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Profile switch</source>
        <translation>切换配置</translation>
    </message>
    <message>
        <source>Enrolled</source>
        <translation>已注册</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>被拒</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Not enrolled</source>
        <translation>未注册</translation>
    </message>
    <message>
        <source>Not checked</source>
        <translation>未核验</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>已删除</translation>
    </message>
    <message>
        <source>Deleted here only</source>
        <translation>仅本地删除</translation>
    </message>
    <message>
        <source>Records deleted</source>
        <translation>记录已删除</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <source>Switched</source>
        <translation>已切换</translation>
    </message>
    <message>
        <source>Placed</source>
        <translation>已拨出</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>已签发</translation>
    </message>
    <message>
        <source>Bill</source>
        <translation>话单</translation>
    </message>
    <message>
        <source>Dialling</source>
        <translation>正在呼叫</translation>
    </message>
    <message>
        <source>Ringing</source>
        <translation>振铃中</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>已接听</translation>
    </message>
    <message>
        <source>Keys pressed</source>
        <translation>已按键</translation>
    </message>
    <message>
        <source>Hung up</source>
        <translation>已挂断</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>Filter text</source>
        <translation>筛选文本</translation>
    </message>
    <message>
        <source>Kind filter</source>
        <translation>类型筛选</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>Decision filter</source>
        <translation>结论筛选</translation>
    </message>
    <message>
        <source>All decisions</source>
        <translation>全部结论</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Refresh the history</source>
        <translation>刷新历史记录</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>尝试记录</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Export the shown attempts to a CSV file</source>
        <translation>将显示的尝试记录导出为 CSV 文件</translation>
    </message>
    <message>
        <source>Delete every record of one person</source>
        <translation>删除某个人的全部记录</translation>
    </message>
    <message>
        <source>The history cannot be read: %1</source>
        <translation>无法读取历史记录：%1</translation>
    </message>
    <message>
        <source>Export history</source>
        <translation>导出历史记录</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Filter by user, operator, digits or message…</source>
        <translation>按用户、操作员、数字或消息筛选…</translation>
    </message>
    <message>
        <source>Number of events shown</source>
        <translation>显示的事件数</translation>
    </message>
    <message>
        <source>Details of the selected event</source>
        <translation>所选事件的详情</translation>
    </message>
    <message>
        <source>Delete person…</source>
        <translation>删除此人…</translation>
    </message>
    <message>
        <source>A privacy request: deletes the selected person&apos;s voiceprint (sandbox) and records; the audit trail stays</source>
        <translation>隐私请求：删除所选人员的声纹（沙箱）和记录；审计记录保留</translation>
    </message>
    <message>
        <source>Showing %1 of %2 events</source>
        <translation>显示 %1 条，共 %2 条事件</translation>
    </message>
    <message>
        <source>Exported %1 attempts to %2</source>
        <translation>已将 %1 条尝试记录导出到 %2</translation>
    </message>
    <message>
        <source>The export could not be recorded in the audit trail.</source>
        <translation>导出未能记入审计记录。</translation>
    </message>
    <message>
        <source>Delete a person&apos;s records</source>
        <translation>删除某人的记录</translation>
    </message>
    <message>
        <source>Person:</source>
        <translation>人员：</translation>
    </message>
    <message>
        <source>Deletion failed</source>
        <translation>删除失败</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Voiceprint Workstation %1</source>
        <translation>声纹工作站 %1</translation>
    </message>
    <message>
        <source>Voiceprint Workstation</source>
        <translation>声纹工作站</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Voiceprint Workstation</source>
        <translation>关于声纹工作站(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;New caller</source>
        <translation>新来电(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>Panels</source>
        <translation>面板</translation>
    </message>
    <message>
        <source>Sandbox: this window is using the built-in sandbox, a local stand-in for the voiceprint and speech services that this app starts by itself. Nothing leaves this computer. To use the real services, create a profile in Settings and switch to it.</source>
        <translation>沙箱：本窗口正在使用内置沙箱——由本程序自行启动的声纹和语音服务的本地替身，数据不会离开本机。要使用真实服务，请在“设置”中创建配置并切换过去。</translation>
    </message>
    <message>
        <source>Open Settings</source>
        <translation>打开设置</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>The embedded sandbox did not start: %1</source>
        <translation>内置沙箱未能启动：%1</translation>
    </message>
    <message>
        <source>About Voiceprint Workstation</source>
        <translation>关于声纹工作站</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Voiceprint Workstation %1&lt;/h3&gt;&lt;p&gt;Enrol speakers and verify who they are by voice, with a fresh digit prompt for every attempt.&lt;/p&gt;&lt;p&gt;Profile: %2&lt;/p&gt;</source>
        <translation>&lt;h3&gt;声纹工作站 %1&lt;/h3&gt;&lt;p&gt;注册说话人并通过声音验证其身份，每次尝试都会显示一组新的数字提示。&lt;/p&gt;&lt;p&gt;配置：%2&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>PhonePanel</name>
    <message>
        <source>Phone</source>
        <translation>电话验证</translation>
    </message>
    <message>
        <source>Phone verification code</source>
        <translation>电话验证码</translation>
    </message>
    <message>
        <source>When a voice check is inconclusive, the platform phones the person and reads out a code; ask them to repeat it to you.</source>
        <translation>声纹核验无法确定时，由平台给对方打电话并播报验证码；请对方向你复述。</translation>
    </message>
    <message>
        <source>Number to call</source>
        <translation>被叫号码</translation>
    </message>
    <message>
        <source>Number to call:</source>
        <translation>被叫号码：</translation>
    </message>
    <message>
        <source>Number shown to the person</source>
        <translation>向对方显示的号码</translation>
    </message>
    <message>
        <source>The fixed-line number applied for this app; the profile&apos;s by default</source>
        <translation>为该应用申请的固话号码；默认取自配置</translation>
    </message>
    <message>
        <source>Display number:</source>
        <translation>主显号码：</translation>
    </message>
    <message>
        <source>Tone played before the code</source>
        <translation>验证码前播放的提示音</translation>
    </message>
    <message>
        <source>Pre-tone:</source>
        <translation>前置提示音：</translation>
    </message>
    <message>
        <source>Verification code</source>
        <translation>验证码</translation>
    </message>
    <message>
        <source>2 to 8 digits; a random one is made for each call, or type your own</source>
        <translation>2 到 8 位数字；每次呼叫随机生成，也可自行输入</translation>
    </message>
    <message>
        <source>New code</source>
        <translation>换一个</translation>
    </message>
    <message>
        <source>Make a new random code</source>
        <translation>重新生成随机验证码</translation>
    </message>
    <message>
        <source>Code:</source>
        <translation>验证码：</translation>
    </message>
    <message>
        <source>Country code first: +86 138 0000 0000 (spaces and dashes are fine)</source>
        <translation>先写国家码：+86 138 0000 0000（可以含空格和短横线）</translation>
    </message>
    <message>
        <source>Language the code is read in</source>
        <translation>播报验证码的语言</translation>
    </message>
    <message>
        <source>The language the platform reads the code in</source>
        <translation>平台播报验证码所用的语言</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <source>The tones approved on the platform, as listed in the profile (Settings)</source>
        <translation>平台已审核通过的提示音，即配置（设置）中列出的那些</translation>
    </message>
    <message>
        <source> times</source>
        <translation> 次</translation>
    </message>
    <message>
        <source>How many times the code is read out</source>
        <translation>验证码播放次数</translation>
    </message>
    <message>
        <source>Times read out:</source>
        <translation>播放次数：</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>拨打</translation>
    </message>
    <message>
        <source>Place the verification call</source>
        <translation>发起验证码呼叫</translation>
    </message>
    <message>
        <source>Place the call (Ctrl+Enter)</source>
        <translation>发起呼叫（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Why the call was not placed</source>
        <translation>呼叫未发起的原因</translation>
    </message>
    <message>
        <source>Callback receiver</source>
        <translation>回调接收服务</translation>
    </message>
    <message>
        <source>Language type %1</source>
        <translation>语言类型 %1</translation>
    </message>
    <message>
        <source>Write + and the country code first (E.164), e.g. +8613800000000.</source>
        <translation>请先写 + 和国家码（E.164），例如 +8613800000000。</translation>
    </message>
    <message>
        <source>Not a display number: use E.164, e.g. +8657100000000.</source>
        <translation>主显号码格式不对：请用 E.164，例如 +8657100000000。</translation>
    </message>
    <message>
        <source>2-8 digits 0-9.</source>
        <translation>2-8 位数字 0-9。</translation>
    </message>
    <message>
        <source>This call could not be saved in the history.</source>
        <translation>本次呼叫未能保存到历史记录。</translation>
    </message>
    <message>
        <source>Live events cannot be shown here: %1</source>
        <translation>无法在此实时显示事件：%1</translation>
    </message>
    <message>
        <source>This profile names no status URL, so the platform reports this call to the address registered for the app.</source>
        <translation>本配置未设置状态回调地址，平台会把本次呼叫的事件发送到为该应用登记的地址。</translation>
    </message>
    <message>
        <source>A call is in progress; wait for it to end</source>
        <translation>通话正在进行，请等待结束</translation>
    </message>
    <message>
        <source>Callback receiver: not listening. %1</source>
        <translation>回调接收服务：未在监听。%1</translation>
    </message>
    <message>
        <source>Callback receiver listening on:</source>
        <translation>回调接收服务正在监听：</translation>
    </message>
    <message>
        <source>The platform&apos;s events and bills are stored in the history database.</source>
        <translation>平台的事件和话单保存在历史数据库中。</translation>
    </message>
    <message>
        <source>Callback receiver: starts when this panel is shown or a call is placed.</source>
        <translation>回调接收服务：打开本面板或发起呼叫时启动。</translation>
    </message>
    <message>
        <source>Wait for the current call to end before placing another.</source>
        <translation>请等当前通话结束后再拨打下一个。</translation>
    </message>
    <message>
        <source>For the verification of %1</source>
        <translation>用于 %1 的验证</translation>
    </message>
    <message>
        <source>(reference %1)</source>
        <translation>（编号 %1）</translation>
    </message>
</context>
<context>
    <name>ReadBackBox</name>
    <message>
        <source>What the person read back</source>
        <translation>对方复述的验证码</translation>
    </message>
    <message>
        <source>Correct</source>
        <translation>正确</translation>
    </message>
    <message>
        <source>The person read back the right code</source>
        <translation>对方复述的验证码正确</translation>
    </message>
    <message>
        <source>Wrong</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>The person read back a different code</source>
        <translation>对方复述的验证码不一致</translation>
    </message>
    <message>
        <source>No answer</source>
        <translation>未回答</translation>
    </message>
    <message>
        <source>The person did not read back a code</source>
        <translation>对方没有复述验证码</translation>
    </message>
    <message>
        <source>Available once the call is placed.</source>
        <translation>拨出呼叫后即可记录。</translation>
    </message>
    <message>
        <source>Compare what they say with the code shown, then click one.</source>
        <translation>将对方所说与显示的验证码比对，然后点击其中一项。</translation>
    </message>
    <message>
        <source>Recorded with the call.</source>
        <translation>已随通话记录保存。</translation>
    </message>
</context>
<context>
    <name>RecorderBox</name>
    <message>
        <source>Stop (Space)</source>
        <translation>停止（空格）</translation>
    </message>
    <message>
        <source>Record (Space)</source>
        <translation>录音（空格）</translation>
    </message>
    <message>
        <source>Stop recording</source>
        <translation>停止录音</translation>
    </message>
    <message>
        <source>Start recording</source>
        <translation>开始录音</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>电平</translation>
    </message>
    <message>
        <source>Input level</source>
        <translation>输入电平</translation>
    </message>
    <message>
        <source>Waveform of the last seconds</source>
        <translation>最近几秒的波形</translation>
    </message>
    <message>
        <source>Net speech against the minimum</source>
        <translation>有效语音与最低要求</translation>
    </message>
    <message>
        <source>%1 s of speech (%2 s needed)</source>
        <translation>有效语音 %1 秒（需要 %2 秒）</translation>
    </message>
    <message>
        <source>%1 s recorded in all. Speech is measured here as you record; the service measures it again and may count a little more or less.</source>
        <translation>共录制 %1 秒。有效语音由本机在录音时测量；服务会重新测量，结果可能略多或略少。</translation>
    </message>
</context>
<context>
    <name>ScoreBars</name>
    <message>
        <source>No candidates</source>
        <translation>无候选</translation>
    </message>
    <message>
        <source>%1 (claimed)</source>
        <translation>%1（声称）</translation>
    </message>
    <message>
        <source>Candidate %1: %2, score %3</source>
        <translation>候选 %1：%2，得分 %3</translation>
    </message>
    <message>
        <source>The claimed user is not among the closest voices: their own score is below %1.</source>
        <translation>声称的用户不在最接近的声纹之列：其本人得分低于 %1。</translation>
    </message>
    <message>
        <source>The claimed user is not among the closest voices: their own score is below %1, under the threshold %2.</source>
        <translation>声称的用户不在最接近的声纹之列：其本人得分低于 %1，未达阈值 %2。</translation>
    </message>
    <message>
        <source>Claimed user&apos;s own score: %1. The service decides with its own threshold, which this profile does not state.</source>
        <translation>声称用户本人得分：%1。服务按其自己的阈值判定，本配置未注明该阈值。</translation>
    </message>
    <message>
        <source>Claimed user&apos;s own score %1: %2 above the threshold %3 (the line on the bars).</source>
        <translation>声称用户本人得分 %1：比阈值 %3（条形图上的竖线）高 %2。</translation>
    </message>
    <message>
        <source>Claimed user&apos;s own score %1: %2 below the threshold %3 (the line on the bars).</source>
        <translation>声称用户本人得分 %1：比阈值 %3（条形图上的竖线）低 %2。</translation>
    </message>
    <message>
        <source>Borderline: another take could go the other way; ask for a second attempt or phone a code.</source>
        <translation>临界：再录一次可能得出相反结论；请让对方再试一次，或电话发送验证码。</translation>
    </message>
</context>
<context>
    <name>SecretEditor</name>
    <message>
        <source>New value for %1</source>
        <translation>%1 的新值</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Remove the stored %1</source>
        <translation>移除已保存的 %1</translation>
    </message>
    <message>
        <source>Stored in the keyring</source>
        <translation>已保存在钥匙串中</translation>
    </message>
    <message>
        <source>Not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>Built-in sandbox credential</source>
        <translation>内置沙箱凭据</translation>
    </message>
    <message>
        <source>Cannot be stored here: no keyring</source>
        <translation>无法在此保存：没有钥匙串</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Type a new value to replace it</source>
        <translation>输入新值以替换</translation>
    </message>
    <message>
        <source>Type a value to store it</source>
        <translation>输入一个值以保存</translation>
    </message>
</context>
<context>
    <name>SectionForm</name>
    <message>
        <source>Environment override: %1</source>
        <translation>环境变量覆盖：%1</translation>
    </message>
    <message>
        <source>The environment variable %1 overrides this value while it is set.</source>
        <translation>设置了环境变量 %1 时，它会覆盖此值。</translation>
    </message>
</context>
<context>
    <name>SessionPanel</name>
    <message>
        <source>Read the digits aloud to the speaker</source>
        <translation>为说话人朗读数字</translation>
    </message>
    <message>
        <source>Rokid speech synthesis reads the digits on the output device</source>
        <translation>由 Rokid 语音合成在输出设备上朗读数字</translation>
    </message>
    <message>
        <source>New digits</source>
        <translation>换一组数字</translation>
    </message>
    <message>
        <source>Show new digits</source>
        <translation>显示一组新数字</translation>
    </message>
    <message>
        <source>Read in English (sandbox)</source>
        <translation>请用英语读（沙箱）</translation>
    </message>
    <message>
        <source>The local sandbox hears digits read in English only.</source>
        <translation>本地沙箱只听得懂用英语读的数字。</translation>
    </message>
    <message>
        <source>Read aloud</source>
        <translation>朗读</translation>
    </message>
    <message>
        <source>Stop reading</source>
        <translation>停止朗读</translation>
    </message>
    <message>
        <source>Reading the digits aloud…</source>
        <translation>正在朗读数字…</translation>
    </message>
    <message>
        <source>Preparing speech…</source>
        <translation>正在准备语音…</translation>
    </message>
    <message>
        <source>The digits could not be read aloud: %1</source>
        <translation>无法朗读数字：%1</translation>
    </message>
    <message>
        <source>Finish or stop the current attempt first.</source>
        <translation>请先完成或停止当前这次尝试。</translation>
    </message>
    <message>
        <source>Waiting for the service&apos;s answer…</source>
        <translation>正在等待服务应答……</translation>
    </message>
    <message>
        <source>Choose audio files</source>
        <translation>选择音频文件</translation>
    </message>
    <message>
        <source>Choose an audio file</source>
        <translation>选择一个音频文件</translation>
    </message>
    <message>
        <source>Audio files (%1)</source>
        <translation>音频文件 (%1)</translation>
    </message>
    <message>
        <source>Reading and sending the file…</source>
        <translation>正在读取并发送文件……</translation>
    </message>
    <message>
        <source>Sending the kept recording again…</source>
        <translation>正在重新发送保留的录音……</translation>
    </message>
    <message>
        <source>Recording and sending…</source>
        <translation>正在录音并发送……</translation>
    </message>
    <message>
        <source>Send the recording again</source>
        <translation>重新发送录音</translation>
    </message>
    <message>
        <source>This attempt could not be saved in the history.</source>
        <translation>本次尝试未能保存到历史记录。</translation>
    </message>
</context>
<context>
    <name>SettingsFields</name>
    <message>
        <source>Voiceprint</source>
        <translation>声纹</translation>
    </message>
    <message>
        <source>Rokid speech</source>
        <translation>Rokid 语音</translation>
    </message>
    <message>
        <source>Voice call</source>
        <translation>语音呼叫</translation>
    </message>
    <message>
        <source>SingSound</source>
        <translation>先声</translation>
    </message>
    <message>
        <source>Audio</source>
        <translation>音频</translation>
    </message>
    <message>
        <source>Sandbox</source>
        <translation>沙箱</translation>
    </message>
    <message>
        <source>Service URL (ws:// or wss://)</source>
        <translation>服务地址（ws:// 或 wss://）</translation>
    </message>
    <message>
        <source>AppCode</source>
        <translation>AppCode</translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation>客户端 ID</translation>
    </message>
    <message>
        <source>Frame length (ms)</source>
        <translation>帧长（毫秒）</translation>
    </message>
    <message>
        <source>Heartbeat interval (s)</source>
        <translation>心跳间隔（秒）</translation>
    </message>
    <message>
        <source>Reply timeout (s)</source>
        <translation>应答超时（秒）</translation>
    </message>
    <message>
        <source>CA bundle file</source>
        <translation>CA 证书文件</translation>
    </message>
    <message>
        <source>WebSocket ping interval (s, 0 = off)</source>
        <translation>WebSocket 协议 ping 间隔（秒，0 = 关闭）</translation>
    </message>
    <message>
        <source>Message type spelling</source>
        <translation>消息类型拼写</translation>
    </message>
    <message>
        <source>Speech recognition URL</source>
        <translation>语音识别地址</translation>
    </message>
    <message>
        <source>Speech synthesis URL</source>
        <translation>语音合成地址</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Key</translation>
    </message>
    <message>
        <source>Secret</source>
        <translation>Secret</translation>
    </message>
    <message>
        <source>Device type ID</source>
        <translation>设备类型 ID</translation>
    </message>
    <message>
        <source>Device ID</source>
        <translation>设备 ID</translation>
    </message>
    <message>
        <source>API version</source>
        <translation>API 版本</translation>
    </message>
    <message>
        <source>Request body</source>
        <translation>请求体格式</translation>
    </message>
    <message>
        <source>Timeout (s)</source>
        <translation>超时（秒）</translation>
    </message>
    <message>
        <source>Service URL</source>
        <translation>服务地址</translation>
    </message>
    <message>
        <source>App key</source>
        <translation>App Key</translation>
    </message>
    <message>
        <source>App secret</source>
        <translation>App Secret</translation>
    </message>
    <message>
        <source>Caller number shown</source>
        <translation>显示的主叫号码</translation>
    </message>
    <message>
        <source>Timestamp zone</source>
        <translation>时间戳时区</translation>
    </message>
    <message>
        <source>Call status callback URL</source>
        <translation>呼叫状态回调地址</translation>
    </message>
    <message>
        <source>Call fee callback URL</source>
        <translation>话单回调地址</translation>
    </message>
    <message>
        <source>Callback listener host</source>
        <translation>回调监听主机</translation>
    </message>
    <message>
        <source>Callback listener port</source>
        <translation>回调监听端口</translation>
    </message>
    <message>
        <source>Tone before the code</source>
        <translation>验证码前的提示音</translation>
    </message>
    <message>
        <source>Voice language type</source>
        <translation>语音语种</translation>
    </message>
    <message>
        <source>Unverified callbacks (record or strict)</source>
        <translation>未通过校验的回调（record 记录或 strict 拒绝）</translation>
    </message>
    <message>
        <source>Bound number (optional)</source>
        <translation>绑定号码（可选）</translation>
    </message>
    <message>
        <source>Approved tone names (one per line)</source>
        <translation>已审核的提示音名称（每行一个）</translation>
    </message>
    <message>
        <source>Gateway URLs (one per line)</source>
        <translation>网关地址（每行一个）</translation>
    </message>
    <message>
        <source>App ID</source>
        <translation>App ID</translation>
    </message>
    <message>
        <source>Warrant server host</source>
        <translation>授权服务主机</translation>
    </message>
    <message>
        <source>Warrant server port</source>
        <translation>授权服务端口</translation>
    </message>
    <message>
        <source>Device tokens</source>
        <translation>设备令牌</translation>
    </message>
    <message>
        <source>Warrant lifetime (s)</source>
        <translation>授权有效期（秒）</translation>
    </message>
    <message>
        <source>Warrants per minute per device</source>
        <translation>每台设备每分钟授权数</translation>
    </message>
    <message>
        <source>Warrant burst</source>
        <translation>授权突发上限</translation>
    </message>
    <message>
        <source>Trusted proxy header</source>
        <translation>可信代理请求头</translation>
    </message>
    <message>
        <source>Microphone</source>
        <translation>麦克风</translation>
    </message>
    <message>
        <source>Speaker</source>
        <translation>扬声器</translation>
    </message>
    <message>
        <source>Listen address</source>
        <translation>监听地址</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Acceptance threshold (0 = engine default)</source>
        <translation>通过阈值（0 = 引擎默认）</translation>
    </message>
    <message>
        <source>How often the JSON ping is sent. Set it below the API&apos;s backend timeout on the API Gateway: the gateway closes a WebSocket idle for longer. Its operator sets that timeout between 1 ms and 60 s (5 s unless changed), so ask them for it.</source>
        <translation>JSON ping 的发送间隔。请设为低于 API 网关上该 API 的后端超时：网关会关闭空闲更久的 WebSocket。该超时由网关运维人员在 1 毫秒到 60 秒之间设置（未改动时为 5 秒），请向他们询问。</translation>
    </message>
    <message>
        <source>WebSocket protocol pings, sent besides the JSON ping; the gateway counts them as traffic even when the service ignores JSON pings. Keep it below the API&apos;s backend timeout.</source>
        <translation>在 JSON ping 之外发送的 WebSocket 协议 ping；即使服务忽略 JSON ping，网关也会把它们算作流量。请保持低于该 API 的后端超时。</translation>
    </message>
    <message>
        <source>The service&apos;s document writes two message types with a leading space (“ training”, “ stop_train”), most likely a typo. “documented” sends them without it; choose “seed” only for a server that was built from that document and expects the space literally.</source>
        <translation>服务文档中有两个消息类型前面带空格（“ training”、“ stop_train”），很可能是笔误。“documented”发送不带空格的类型；只有当服务器按该文档实现、确实要求带空格时才选择“seed”。</translation>
    </message>
    <message>
        <source>The version field of the signed Authorization header. The seed document shows 1.0; public working clients send 1. Use what your Rokid account was issued for.</source>
        <translation>签名 Authorization 头中的 version 字段。原始文档写的是 1.0；公开可用的客户端发送 1。请使用您的 Rokid 账号所对应的值。</translation>
    </message>
    <message>
        <source>%1 is required.</source>
        <translation>%1 为必填项。</translation>
    </message>
    <message>
        <source>%1: “%2” is not a %3 address.</source>
        <translation>%1：“%2”不是 %3 地址。</translation>
    </message>
    <message>
        <source>%1: there is no file “%2”.</source>
        <translation>%1：文件“%2”不存在。</translation>
    </message>
    <message>
        <source>%1 must be a number from %2 to %3.</source>
        <translation>%1 必须是 %2 到 %3 之间的数字。</translation>
    </message>
    <message>
        <source>%1 must be one of: %2.</source>
        <translation>%1 必须是以下之一：%2。</translation>
    </message>
</context>
<context>
    <name>SettingsPanel</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Profile to edit</source>
        <translation>要编辑的配置</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>新建…</translation>
    </message>
    <message>
        <source>Create a profile</source>
        <translation>创建配置</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Rename this profile</source>
        <translation>重命名此配置</translation>
    </message>
    <message>
        <source>Use this profile</source>
        <translation>使用此配置</translation>
    </message>
    <message>
        <source>Switch to this profile</source>
        <translation>切换到此配置</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>Settings error</source>
        <translation>设置错误</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>还原</translation>
    </message>
    <message>
        <source>Discard the unsaved changes</source>
        <translation>放弃未保存的更改</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save this profile</source>
        <translation>保存此配置</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>帮助</translation>
    </message>
    <message>
        <source>Help on profiles and environment variables</source>
        <translation>关于配置和环境变量的帮助</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Profiles.&lt;/b&gt; A profile holds the addresses and credentials of the services. The built-in &lt;i&gt;sandbox&lt;/i&gt; profile points at the local stand-ins and cannot be edited here; create your own profile for the real services and click &lt;i&gt;Use this profile&lt;/i&gt;.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Environment variables.&lt;/b&gt; Every setting can also be given by an environment variable, named under the field when it is set (for example VPW_WARRANT_DEVICE_TOKENS for SingSound&apos;s device tokens). While a variable is set it overrides the stored value, on every profile; it is the only way to give the sandbox profile device tokens for the Assessment panel&apos;s warrant service. Start the app again after changing one.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Secrets&lt;/b&gt; (app secrets, AppCode) are kept in the system keyring, never in the profile file.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;配置。&lt;/b&gt;配置保存各项服务的地址和凭据。内置的&lt;i&gt;沙箱&lt;/i&gt;配置指向本地替身服务，不能在这里修改；请为真实服务创建您自己的配置，然后点击&lt;i&gt;使用此配置&lt;/i&gt;。&lt;/p&gt;&lt;p&gt;&lt;b&gt;环境变量。&lt;/b&gt;每项设置也可以通过环境变量给出，设置了的变量会注明在对应字段下方（例如先声的设备令牌对应 VPW_WARRANT_DEVICE_TOKENS）。变量设置后，会在所有配置中覆盖保存的值；这也是为沙箱配置提供“口语评测”面板授权服务所需设备令牌的唯一方式。修改变量后请重新启动程序。&lt;/p&gt;&lt;p&gt;&lt;b&gt;机密信息&lt;/b&gt;（应用密钥、AppCode）保存在系统钥匙串中，从不写入配置文件。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Settings help</source>
        <translation>设置帮助</translation>
    </message>
    <message>
        <source>%1 (active)</source>
        <translation>%1（使用中）</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>Discard the unsaved changes to the profile “%1”?</source>
        <translation>放弃对配置“%1”的未保存更改？</translation>
    </message>
    <message>
        <source>The built-in sandbox profile&apos;s endpoints and credentials are fixed; its audio devices, voiceprint tuning and sandbox address can be changed. Create a profile for real services.</source>
        <translation>内置沙箱配置的服务地址和凭据是固定的；可以更改其音频设备、声纹参数和沙箱地址。要使用真实服务，请创建新配置。</translation>
    </message>
    <message>
        <source>The profile was not saved: %1</source>
        <translation>配置未保存：%1</translation>
    </message>
    <message>
        <source>Profile “%1” saved</source>
        <translation>配置“%1”已保存</translation>
    </message>
    <message>
        <source>The change was saved but could not be recorded in the audit trail.</source>
        <translation>更改已保存，但未能记入审计记录。</translation>
    </message>
    <message>
        <source>Now using the profile “%1”</source>
        <translation>正在使用配置“%1”</translation>
    </message>
    <message>
        <source>New profile</source>
        <translation>新建配置</translation>
    </message>
    <message>
        <source>Name (letters, digits, - or _):</source>
        <translation>名称（字母、数字、- 或 _）：</translation>
    </message>
    <message>
        <source>A profile named “%1” already exists.</source>
        <translation>名为“%1”的配置已存在。</translation>
    </message>
    <message>
        <source>Rename profile</source>
        <translation>重命名配置</translation>
    </message>
    <message>
        <source>New name (letters, digits, - or _):</source>
        <translation>新名称（字母、数字、- 或 _）：</translation>
    </message>
</context>
<context>
    <name>SettingsTabs</name>
    <message>
        <source>Settings sections</source>
        <translation>设置分类</translation>
    </message>
    <message>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Operator name</source>
        <translation>操作员姓名</translation>
    </message>
    <message>
        <source>Empty: the computer&apos;s user name</source>
        <translation>留空：使用本机用户名</translation>
    </message>
    <message>
        <source>Recorded with every action in the audit trail. VPW_OPERATOR overrides it.</source>
        <translation>每个操作都会连同此姓名记入审计记录。VPW_OPERATOR 环境变量优先。</translation>
    </message>
    <message>
        <source>The language applies to this computer; the microphone and speaker are saved with the profile.</source>
        <translation>语言设置只作用于本机；麦克风和扬声器随配置一起保存。</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <source>New caller: clear the name, consent, results and transcript; cursor in the name field</source>
        <translation>新来电：清除姓名、同意勾选、结果和转写文本；光标回到姓名栏</translation>
    </message>
    <message>
        <source>Enrol, Verify: start or stop recording (outside a text field)</source>
        <translation>注册、验证：开始或停止录音（光标不在文本框时）</translation>
    </message>
    <message>
        <source>Phone: place the call</source>
        <translation>电话验证：拨出呼叫</translation>
    </message>
    <message>
        <source>This list</source>
        <translation>本列表</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Open %1 and put the cursor in its first field</source>
        <translation>打开“%1”并将光标放在第一个输入栏</translation>
    </message>
</context>
<context>
    <name>SpeakersPanel</name>
    <message>
        <source>Speakers</source>
        <translation>说话人</translation>
    </message>
    <message>
        <source>Search by name…</source>
        <translation>按姓名搜索…</translation>
    </message>
    <message>
        <source>Search speakers</source>
        <translation>搜索说话人</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Refresh the list of speakers</source>
        <translation>刷新说话人列表</translation>
    </message>
    <message>
        <source>Enrolled speakers</source>
        <translation>已注册的说话人</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Takes</source>
        <translation>录入次数</translation>
    </message>
    <message>
        <source>First enrolled</source>
        <translation>首次注册</translation>
    </message>
    <message>
        <source>Last enrolled</source>
        <translation>最近注册</translation>
    </message>
    <message>
        <source>Consent (recorded by)</source>
        <translation>同意（记录人）</translation>
    </message>
    <message>
        <source>Last verified</source>
        <translation>最近验证</translation>
    </message>
    <message>
        <source>Re-enrol…</source>
        <translation>重新注册…</translation>
    </message>
    <message>
        <source>Enrol the selected speaker again</source>
        <translation>再次注册所选说话人</translation>
    </message>
    <message>
        <source>Export data…</source>
        <translation>导出数据…</translation>
    </message>
    <message>
        <source>Export the selected person&apos;s data to a JSON file</source>
        <translation>将所选人员的数据导出为 JSON 文件</translation>
    </message>
    <message>
        <source>Delete person…</source>
        <translation>删除此人…</translation>
    </message>
    <message>
        <source>Delete the selected person</source>
        <translation>删除所选人员</translation>
    </message>
    <message>
        <source>Speakers enrolled on the profile “%1”</source>
        <translation>在配置“%1”上注册的说话人</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>none recorded</source>
        <translation>无记录</translation>
    </message>
    <message>
        <source>The list of speakers cannot be read: %1</source>
        <translation>无法读取说话人列表：%1</translation>
    </message>
    <message>
        <source>%1 of %2 speakers</source>
        <translation>%1 / %2 位说话人</translation>
    </message>
    <message>
        <source>Delete a person</source>
        <translation>删除人员</translation>
    </message>
    <message>
        <source>Deleting “%1”…</source>
        <translation>正在删除“%1”…</translation>
    </message>
    <message>
        <source>Deletion failed</source>
        <translation>删除失败</translation>
    </message>
    <message>
        <source>Export a person&apos;s data</source>
        <translation>导出个人数据</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Exported the data of “%1” to %2</source>
        <translation>已将“%1”的数据导出到 %2</translation>
    </message>
</context>
<context>
    <name>SpeechPanel</name>
    <message>
        <source>Speech</source>
        <translation>语音合成</translation>
    </message>
    <message>
        <source>Speech synthesis</source>
        <translation>语音合成</translation>
    </message>
    <message>
        <source>Rokid reads the text aloud. Play it here, or save it as a file.</source>
        <translation>Rokid 朗读文字。可在这里播放，或保存为文件。</translation>
    </message>
    <message>
        <source>Text to speak</source>
        <translation>要朗读的文字</translation>
    </message>
    <message>
        <source>Type what Rokid should say</source>
        <translation>输入要 Rokid 朗读的内容</translation>
    </message>
    <message>
        <source>Voice</source>
        <translation>发音人</translation>
    </message>
    <message>
        <source>Adult (zh)</source>
        <translation>成人（zh）</translation>
    </message>
    <message>
        <source>Child (c1)</source>
        <translation>儿童（c1）</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Pick a voice, or type the name of another Rokid voice. Rokid&apos;s voices speak Mandarin; there is no English voice.</source>
        <translation>选择一个声音，或输入另一个 Rokid 声音的名字。Rokid 的声音说普通话，没有英语声音。</translation>
    </message>
    <message>
        <source>Voice:</source>
        <translation>发音人：</translation>
    </message>
    <message>
        <source>Audio codec</source>
        <translation>音频编码</translation>
    </message>
    <message>
        <source>Codec:</source>
        <translation>编码：</translation>
    </message>
    <message>
        <source>Speak</source>
        <translation>朗读</translation>
    </message>
    <message>
        <source>Synthesise the text and play it</source>
        <translation>合成文字并播放</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop playing</source>
        <translation>停止播放</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Save the speech as a file</source>
        <translation>把语音保存为文件</translation>
    </message>
    <message>
        <source>Playback progress</source>
        <translation>播放进度</translation>
    </message>
    <message>
        <source>Speech status</source>
        <translation>语音合成状态</translation>
    </message>
    <message>
        <source>Speech error</source>
        <translation>语音合成错误</translation>
    </message>
    <message>
        <source>%1 of %2 characters</source>
        <translation>%1 / %2 个字符</translation>
    </message>
    <message>
        <source>Synthesising…</source>
        <translation>正在合成…</translation>
    </message>
    <message>
        <source>%1 s of speech (%2, %3 bytes)</source>
        <translation>%1 秒语音（%2，%3 字节）</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>Played.</source>
        <translation>已播放。</translation>
    </message>
    <message>
        <source>WAV audio (*.wav)</source>
        <translation>WAV 音频 (*.wav)</translation>
    </message>
    <message>
        <source>MP3 audio (*.mp3)</source>
        <translation>MP3 音频 (*.mp3)</translation>
    </message>
    <message>
        <source>Codec bytes as received (*.%1)</source>
        <translation>按原样保存的编码数据 (*.%1)</translation>
    </message>
    <message>
        <source>Save the speech</source>
        <translation>保存语音</translation>
    </message>
    <message>
        <source>Saved: %1</source>
        <translation>已保存：%1</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Profile: %1</source>
        <translation>配置：%1</translation>
    </message>
    <message>
        <source>Active profile</source>
        <translation>当前配置</translation>
    </message>
    <message>
        <source>Operator: %1</source>
        <translation>操作员：%1</translation>
    </message>
    <message>
        <source>Operator recorded in the audit trail</source>
        <translation>记入审计记录的操作员</translation>
    </message>
    <message>
        <source>Input overflows: %1</source>
        <translation>输入溢出：%1</translation>
    </message>
    <message>
        <source>Input overflow count</source>
        <translation>输入溢出次数</translation>
    </message>
    <message>
        <source>Voiceprint connection state</source>
        <translation>声纹连接状态</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>正在连接</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>reconnecting</source>
        <translation>正在重连</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Voiceprint: %1</source>
        <translation>声纹：%1</translation>
    </message>
    <message>
        <source>heartbeat %1</source>
        <translation>心跳 %1</translation>
    </message>
</context>
<context>
    <name>TranscribePanel</name>
    <message>
        <source>Transcribe</source>
        <translation>语音识别</translation>
    </message>
    <message>
        <source>Speech recognition</source>
        <translation>语音识别</translation>
    </message>
    <message>
        <source>The local sandbox recognises English only.</source>
        <translation>本地沙箱只识别英语。</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>录音</translation>
    </message>
    <message>
        <source>Start or stop recording</source>
        <translation>开始或停止录音</translation>
    </message>
    <message>
        <source>Open file…</source>
        <translation>打开文件…</translation>
    </message>
    <message>
        <source>Open an audio file to transcribe</source>
        <translation>打开要识别的音频文件</translation>
    </message>
    <message>
        <source>Input level</source>
        <translation>输入电平</translation>
    </message>
    <message>
        <source>Nothing recorded or opened yet.</source>
        <translation>尚未录音或打开文件。</translation>
    </message>
    <message>
        <source>Audio to transcribe</source>
        <translation>要识别的音频</translation>
    </message>
    <message>
        <source>Codec sent to Rokid</source>
        <translation>发送给 Rokid 的编码</translation>
    </message>
    <message>
        <source>Automatic (pcm, opu when too large)</source>
        <translation>自动（pcm，过大时用 opu）</translation>
    </message>
    <message>
        <source>Codec:</source>
        <translation>编码：</translation>
    </message>
    <message>
        <source>Send the audio to Rokid</source>
        <translation>把音频发送给 Rokid</translation>
    </message>
    <message>
        <source>Transcript</source>
        <translation>识别结果</translation>
    </message>
    <message>
        <source>What Rokid heard appears here</source>
        <translation>Rokid 识别出的文字显示在这里</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the transcript</source>
        <translation>复制识别结果</translation>
    </message>
    <message>
        <source>Transcription status</source>
        <translation>识别状态</translation>
    </message>
    <message>
        <source>Transcription error</source>
        <translation>识别错误</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Recording… press Stop when done.</source>
        <translation>正在录音…完成后请按“停止”。</translation>
    </message>
    <message>
        <source>Recorded %1 s.</source>
        <translation>已录音 %1 秒。</translation>
    </message>
    <message>
        <source>Nothing was recorded.</source>
        <translation>没有录到声音。</translation>
    </message>
    <message>
        <source>Open an audio file</source>
        <translation>打开音频文件</translation>
    </message>
    <message>
        <source>Audio files (*.wav *.flac *.ogg *.mp3);;All files (*)</source>
        <translation>音频文件 (*.wav *.flac *.ogg *.mp3);;所有文件 (*)</translation>
    </message>
    <message>
        <source>File: %1</source>
        <translation>文件：%1</translation>
    </message>
    <message>
        <source>Transcribing…</source>
        <translation>正在识别…</translation>
    </message>
    <message>
        <source>Sent %1 s as %2 (%3 bytes).</source>
        <translation>已发送 %1 秒音频，编码 %2（%3 字节）。</translation>
    </message>
    <message>
        <source>Rokid heard no words.</source>
        <translation>Rokid 没有识别出文字。</translation>
    </message>
    <message>
        <source>Copied.</source>
        <translation>已复制。</translation>
    </message>
</context>
<context>
    <name>VerifyPanel</name>
    <message>
        <source>Verify</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>Verify a speaker</source>
        <translation>验证说话人</translation>
    </message>
    <message>
        <source>Who the speaker says they are</source>
        <translation>说话人自称的身份</translation>
    </message>
    <message>
        <source>Claimed user</source>
        <translation>声称的用户</translation>
    </message>
    <message>
        <source>Claimed user:</source>
        <translation>声称的用户：</translation>
    </message>
    <message>
        <source>Ask the speaker to read these digits aloud:</source>
        <translation>请说话人大声朗读这些数字：</translation>
    </message>
    <message>
        <source>Verify a file…</source>
        <translation>验证文件…</translation>
    </message>
    <message>
        <source>Case or customer no.</source>
        <translation>案件号或客户号</translation>
    </message>
    <message>
        <source>Case or customer reference</source>
        <translation>案件或客户编号</translation>
    </message>
    <message>
        <source>Optional: stored with the attempt in the history</source>
        <translation>可选：随本次验证保存到历史记录</translation>
    </message>
    <message>
        <source>The number to call with a code if the voice check is not enough</source>
        <translation>声纹验证不足以确认时，用于电话发送验证码的号码</translation>
    </message>
    <message>
        <source>The speaker&apos;s phone number</source>
        <translation>说话人的电话号码</translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation>电话：</translation>
    </message>
    <message>
        <source>Reference:</source>
        <translation>编号：</translation>
    </message>
    <message>
        <source>Verify an audio file</source>
        <translation>验证一个音频文件</translation>
    </message>
    <message>
        <source>Also check the digits with speech recognition (Rokid)</source>
        <translation>同时用语音识别（Rokid）核对数字</translation>
    </message>
    <message>
        <source>Cross-check the digits with speech recognition</source>
        <translation>用语音识别交叉核对数字</translation>
    </message>
    <message>
        <source>Transcribes the same take and compares the digits heard with the prompt. The sandbox&apos;s recogniser understands English digits only.</source>
        <translation>转写同一段录音，并将听到的数字与提示比较。沙箱的识别器只能识别英文数字。</translation>
    </message>
    <message>
        <source>Phone a code to this person…</source>
        <translation>电话发送验证码…</translation>
    </message>
    <message>
        <source>Escalate to a phone verification code</source>
        <translation>转为电话验证码验证</translation>
    </message>
    <message>
        <source>Opens the Phone panel with the number and a fresh code filled in; the call is linked to this attempt.</source>
        <translation>打开“电话验证”面板，填好号码和新的验证码；该通话会关联到这次验证。</translation>
    </message>
    <message>
        <source>Closest enrolled voices</source>
        <translation>最相近的已注册声纹</translation>
    </message>
    <message>
        <source>Digits read</source>
        <translation>朗读的数字</translation>
    </message>
    <message>
        <source>Show the raw reply</source>
        <translation>显示原始应答</translation>
    </message>
    <message>
        <source>Show the service&apos;s raw reply</source>
        <translation>显示服务的原始应答</translation>
    </message>
    <message>
        <source>The service&apos;s raw reply</source>
        <translation>服务的原始应答</translation>
    </message>
    <message>
        <source>“%1” is not enrolled — did you mean “%2”? Names are matched exactly.</source>
        <translation>“%1”未注册——您是指“%2”吗？名字须完全一致。</translation>
    </message>
    <message>
        <source>“%1” is not enrolled — enrol first (Enrol panel).</source>
        <translation>“%1”未注册——请先注册（“注册”面板）。</translation>
    </message>
    <message>
        <source>Digits read for the result shown (new ones come with the next attempt):</source>
        <translation>以下是本次结果所朗读的数字（下次尝试时会换新数字）：</translation>
    </message>
    <message>
        <source>Hide the raw reply</source>
        <translation>隐藏原始应答</translation>
    </message>
    <message>
        <source>Answer %1 ms after the recording stopped; %2 s of audio.</source>
        <translation>停止录音后 %1 毫秒得到应答；音频 %2 秒。</translation>
    </message>
    <message>
        <source>The connection dropped during the attempt; it was re-sent from the start.</source>
        <translation>本次尝试中连接曾中断；已从头重新发送。</translation>
    </message>
</context>
<context>
    <name>WarrantView</name>
    <message>
        <source>Warrant ID</source>
        <translation>授权 ID</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the warrant ID</source>
        <translation>复制授权 ID</translation>
    </message>
    <message>
        <source>Warrant ID:</source>
        <translation>授权 ID：</translation>
    </message>
    <message>
        <source>Time until the warrant expires</source>
        <translation>授权剩余有效时间</translation>
    </message>
    <message>
        <source>Expires in:</source>
        <translation>剩余时间：</translation>
    </message>
    <message>
        <source>Expires at:</source>
        <translation>过期时间：</translation>
    </message>
    <message>
        <source>Gateway that answered</source>
        <translation>应答的网关</translation>
    </message>
    <message>
        <source>Gateway:</source>
        <translation>网关：</translation>
    </message>
    <message>
        <source>Where the warrant came from</source>
        <translation>授权来源</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>来源：</translation>
    </message>
    <message>
        <source>Skipped:</source>
        <translation>已跳过：</translation>
    </message>
    <message>
        <source>What went wrong</source>
        <translation>出了什么问题</translation>
    </message>
    <message>
        <source>What to do</source>
        <translation>处理建议</translation>
    </message>
    <message>
        <source>Show details</source>
        <translation>显示详情</translation>
    </message>
    <message>
        <source>Show the full error message</source>
        <translation>显示完整的错误信息</translation>
    </message>
    <message>
        <source>The full error message</source>
        <translation>完整的错误信息</translation>
    </message>
    <message>
        <source>WARRANT ISSUED</source>
        <translation>已获得授权</translation>
    </message>
    <message>
        <source>Warrant issued</source>
        <translation>已获得授权</translation>
    </message>
    <message>
        <source>%1 (this computer&apos;s time zone)</source>
        <translation>%1（本机时区）</translation>
    </message>
    <message>
        <source>%1 (gateway %2 of %3)</source>
        <translation>%1（第 %2 个网关，共 %3 个）</translation>
    </message>
    <message>
        <source>From the cache: issued earlier for this user and still valid (no request was sent)</source>
        <translation>来自缓存：此前为该用户签发且仍然有效（未发送请求）</translation>
    </message>
    <message>
        <source>Shared: another request for this user was already under way</source>
        <translation>共享：该用户的另一个请求已在进行中</translation>
    </message>
    <message>
        <source>New: issued by SingSound just now</source>
        <translation>新签发：先声刚刚签发</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>NO WARRANT</source>
        <translation>未获得授权</translation>
    </message>
    <message>
        <source>No warrant: %1</source>
        <translation>未获得授权：%1</translation>
    </message>
    <message>
        <source>What to do: %1</source>
        <translation>处理建议：%1</translation>
    </message>
    <message>
        <source>SingSound answered code %1</source>
        <translation>先声返回错误码 %1</translation>
    </message>
    <message>
        <source>The profile is incomplete</source>
        <translation>配置不完整</translation>
    </message>
    <message>
        <source>Not sent: check the input</source>
        <translation>未发送：请检查输入</translation>
    </message>
    <message>
        <source>No gateway answered</source>
        <translation>没有网关应答</translation>
    </message>
    <message>
        <source>The credentials were refused</source>
        <translation>凭据被拒绝</translation>
    </message>
    <message>
        <source>The answer could not be used</source>
        <translation>应答无法使用</translation>
    </message>
    <message>
        <source>Unexpected failure</source>
        <translation>意外故障</translation>
    </message>
    <message>
        <source>Fill in the SingSound section of this profile in Settings.</source>
        <translation>请在“设置”中填写此配置的先声部分。</translation>
    </message>
    <message>
        <source>Check the gateway addresses in Settings and that this computer can reach them; every gateway was tried in turn.</source>
        <translation>请在“设置”中检查网关地址，并确认本机能访问它们；所有网关都已依次尝试。</translation>
    </message>
    <message>
        <source>Check the app ID and app secret of this profile in Settings.</source>
        <translation>请在“设置”中检查此配置的 App ID 和 App Secret。</translation>
    </message>
    <message>
        <source>This is a fault in this program; the log has the details.</source>
        <translation>这是本程序的故障；详情见日志。</translation>
    </message>
    <message>
        <source>Hide details</source>
        <translation>隐藏详情</translation>
    </message>
</context>
</TS>
