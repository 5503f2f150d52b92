"""Requests as people word them, for each built-in tool: what a tool is for, in the words
of those who need it. Tool choice compares a request with these by meaning (a JSON tool,
a connector or an MCP server brings its own `examples`, or is found by its description)."""

from __future__ import annotations

EXAMPLES: dict[str, tuple[str, ...]] = {
    "file_list": ("what files are in my documents folder", "list the files in my downloads",
                  "what is in this folder"),
    "file_read": ("read the file todo.txt", "show me what report.txt says"),
    "file_search": ("find the files that mention the invoice number",
                    "which of my files talk about the lease"),
    "file_write": ("write a file plan.txt with the agenda", "save this text into a file"),
    "file_move": ("rename draft.txt to final.txt", "move the photos into the archive folder"),
    "notes_list": ("which notes do I have", "show my notes about the garden"),
    "notes_read": ("read my shopping note", "what does my note about the trip say"),
    "notes_write": ("make a note called groceries with milk and eggs",
                    "add bread to my shopping note"),
    "notes_delete": ("delete the note about the old flat",),
    "calendar_events": ("what is on my calendar tomorrow", "do I have any meetings this week"),
    "calendar_add": ("put lunch with Ana on Friday at noon in my calendar",
                     "add a dentist appointment next Tuesday at 9"),
    "calendar_change": ("move my dentist appointment to Friday",
                        "reschedule the meeting with Bob to 3pm"),
    "calendar_remove": ("cancel my appointment on Monday",
                        "remove the team lunch from my calendar"),
    "tasks_list": ("what is on my to-do list", "which tasks are still open"),
    "tasks_add": ("add a task to call the plumber", "put buy milk on my to-do list"),
    "tasks_done": ("mark the task call the plumber as done", "I finished the tax task"),
    "reminders_add": ("remind me to call mum at 5",
                      "set a reminder for the dentist tomorrow at 9"),
    "reminders_due": ("which reminders are due now",),
    "email_send": ("send bob an email saying hi", "mail the report to alice"),
    "email_read": ("read my latest emails", "did I get mail from the bank"),
    "webhook_post": ("post the summary to the team chat channel",),
    "table_summary": ("what is the average of the price column in sales.csv",
                      "summarise the spreadsheet data.csv", "how many rows does the csv have"),
    "table_query": ("which rows of orders.csv have a total over 100",
                    "sum the amount column of expenses.csv by month"),
    "json_read": ("what is the version in package.json", "read the settings in config.json"),
    "pdf_read": ("read the pdf report.pdf", "what does page 2 of the contract say"),
    "pdf_search": ("find where the pdf mentions the deadline",),
    "python_run": ("run this python code", "compute the standard deviation of these numbers "
                   "with a script"),
    "web_fetch": ("read the news on example.com", "what does the page at "
                  "https://example.org say"),
    "memory_remember": ("remember that my bike lock code is 4411",),
    "memory_recall": ("what did I tell you about Ana", "do you remember where I parked"),
}
