<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AudioCheck</name>
    <message>
        <source>Microphone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Speaker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh the list of audio devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Microphone level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test microphone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start or stop the microphone test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play test tone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play a test tone on the speaker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audio check status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (not found)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for audio devices…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 microphones, %2 speakers found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Speak: the bar should move into the green band.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Microphone test ended; %1 input overflows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Playing a test tone…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test tone played. Did you hear it?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DecisionBanner</name>
    <message>
        <source>ACCEPTED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>REJECTED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT CHECKED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ENROLLED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT ENROLLED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The voiceprint service could not be reached; nothing was compared.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service refused this workstation&apos;s credentials; nothing was compared.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service did not answer in time; nothing was compared.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service&apos;s answer could not be understood; see the raw reply.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The recording was too short to compare: more speech is needed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service did not compare the voice (its message is below).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No audio was recorded or read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The voice matched, but the digits read differ from the prompt.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The voice does not match the claimed user closely enough.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The claimed user is not among the closest enrolled voices.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The voice matched; the service reported no digits to compare.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DigitComparison</name>
    <message>
        <source>The service reported no digits, so they were not compared.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The digits read match the prompt.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The digits read differ from the prompt at %1 of %2 places.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DigitPrompt</name>
    <message>
        <source>Digits to read: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EnrolPanel</name>
    <message>
        <source>Enrol</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrol a speaker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The speaker&apos;s user name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The speaker agrees to have their voiceprint enrolled and stored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Speaker&apos;s consent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask the speaker to read these digits aloud, then keep talking naturally until the speech bar is full:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New digits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show new digits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrol from files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrol from audio files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The speaker&apos;s consent is required: tick the box once they have agreed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Digits match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrol</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrolled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by user, digits or message…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decision filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All decisions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh the history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number of attempts shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the shown attempts to a CSV file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete person&apos;s records…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete every record of one person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A privacy request: removes every attempt by or matching the selected person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The history cannot be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Showing %1 of %2 attempts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported %1 attempts to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete a person&apos;s records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Person:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete all %1 records of “%2”?

This removes every enrolment and verification attempt by this person or where they were the top match. It cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deletion failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The records were not deleted: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted %1 records of “%2”</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Voiceprint Workstation %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Voiceprint Workstation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Panels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sandbox: this window is using the built-in sandbox, a local stand-in for the voiceprint and speech services that this app starts by itself. Nothing leaves this computer. To use the real services, create a profile in Settings and switch to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The embedded sandbox did not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Voiceprint Workstation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;Voiceprint Workstation %1&lt;/h3&gt;&lt;p&gt;Enrol speakers and verify who they are by voice, with a fresh digit prompt for every attempt.&lt;/p&gt;&lt;p&gt;Profile: %2&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecorderBox</name>
    <message>
        <source>Stop (Space)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record (Space)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waveform of the last seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Net speech against the minimum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Speech %1 s of %2 s needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s recorded in all</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScoreBars</name>
    <message>
        <source>No candidates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (claimed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Candidate %1: %2, score %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SessionPanel</name>
    <message>
        <source>Waiting for the service&apos;s answer…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose audio files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose an audio file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audio files (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading and sending the file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending the kept recording again…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording and sending…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send the recording again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This attempt could not be saved in the history.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsFields</name>
    <message>
        <source>Voiceprint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rokid speech</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Voice call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SingSound</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sandbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service URL (ws:// or wss://)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AppCode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frame length (ms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heartbeat interval (s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply timeout (s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CA bundle file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Speech recognition URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Speech synthesis URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device type ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request body</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeout (s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>App key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>App secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Caller number shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timestamp zone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call status callback URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call fee callback URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Callback listener host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Callback listener port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tone before the code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Voice language type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gateway URLs (one per line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>App ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warrant server host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warrant server port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warrant lifetime (s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warrants per minute per device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warrant burst</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trusted proxy header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Microphone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Speaker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listen address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acceptance threshold (0 = engine default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is required.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: “%2” is not a %3 address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: there is no file “%2”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be one of: %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsPanel</name>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile to edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename this profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use this profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch to this profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings sections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>General</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard the unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save this profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language, microphone and speaker apply to this computer&apos;s window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (active)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard the unsaved changes to the profile “%1”?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The built-in sandbox profile&apos;s endpoints and credentials are fixed; its audio devices, voiceprint tuning and sandbox address can be changed. Create a profile for real services.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The profile was not saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile “%1” saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Now using the profile “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name (letters, digits, - or _):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A profile named “%1” already exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New name (letters, digits, - or _):</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Profile: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input overflows: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input overflow count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Voiceprint connection state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reconnecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Voiceprint: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>heartbeat %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VerifyPanel</name>
    <message>
        <source>Verify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify a speaker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who the speaker says they are</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Claimed user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Claimed user:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask the speaker to read these digits aloud:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New digits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show new digits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify a file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify an audio file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closest enrolled voices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Digits read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the raw reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the service&apos;s raw reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service&apos;s raw reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide the raw reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer %1 ms after the recording stopped; %2 s of audio.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection dropped during the attempt; it was re-sent from the start.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
