/* repl.c - the interactive session: `kql` with no query on a terminal.
 *
 * libedit reads lines (editing, history, Tab: repl_complete.c). A query may
 * span lines, as KQL is written (pipes starting the next line); it runs at
 * a blank line, or at a line ending in ';' - unless all it holds so far is
 * let/set statements, whose ';' ends a statement, not the query. A line
 * starting with '.' is a dot-command (repl_commands.c). Each query is one
 * history entry, newlines kept; a recalled multi-line entry runs at Enter.
 * History lives in $KQL_HISTORY, or ~/.kql_history.
 *
 * Ctrl-C: SIGINT sets the cancellation flag (cancel.h). While a query or
 * .load runs, it stops and "query cancelled" is reported. At the prompt the
 * lines typed so far are dropped: SIGINT is blocked while libedit reads,
 * except inside the ppoll of our read function (repl_read_byte), so a Ctrl-C
 * that comes while the prompt is being drawn still ends the wait.
 * Ctrl-D or .quit leaves.
 *
 * The engine runs in the C locale (regular expressions see bytes); libedit
 * needs a UTF-8 one to take and show non-ASCII text, so only the editing
 * itself runs under C.UTF-8 (uselocale, around el_gets; completion steps
 * back out of it to bind queries).
 */
#define _GNU_SOURCE   /* ppoll */
#include <errno.h>
#include <histedit.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "buf.h"
#include "cancel.h"
#include "parse.h"
#include "session.h"

#define REPL_HISTORY_SIZE 1000

typedef struct repl {
    cli_session *s;
    sigset_t reading_mask;  /* the signal mask inside repl_read_byte's wait: SIGINT open */
    int pending;            /* a byte read ahead by repl_getc, or -1 */
    EditLine *el;
    History *hist;
    char *hist_path;        /* owned; NULL: no history file */
    kql_buf query;          /* the lines of the query being typed */
} repl;

static void repl_on_sigint(int sig)
{
    (void)sig;
    kql_cancel_request();
}

static repl *repl_of(EditLine *el)
{
    repl *r;
    el_get(el, EL_CLIENTDATA, &r);
    return r;
}

/* One byte from the terminal (or the one put back). Waits in ppoll with
 * SIGINT unblocked, so a pending Ctrl-C ends the wait at once (-1, EINTR).
 * Returns 1, 0 at end of input, -1 on error. */
static int repl_read_byte(repl *r, unsigned char *b)
{
    if (r->pending >= 0) {
        *b = (unsigned char)r->pending;
        r->pending = -1;
        return 1;
    }
    for (;;) {
        struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
        if (ppoll(&p, 1, NULL, &r->reading_mask) < 0) {
            if (errno == EINTR && !kql_cancelled()) continue;   /* another signal (SIGWINCH) */
            return -1;
        }
        ssize_t got = read(STDIN_FILENO, b, 1);
        if (got >= 0) return (int)got;
        if (errno != EINTR && errno != EAGAIN) return -1;
    }
}

/* libedit's read function: one character, decoded from UTF-8 here (so no
 * locale is needed); a broken sequence reads as U+FFFD. */
static int repl_getc(EditLine *el, wchar_t *wc)
{
    repl *r;
    el_get(el, EL_CLIENTDATA, &r);
    unsigned char b;
    int rc = repl_read_byte(r, &b);
    if (rc != 1) return rc;
    size_t more = b < 0x80 ? 0 : (b & 0xE0) == 0xC0 ? 1 : (b & 0xF0) == 0xE0 ? 2 : (b & 0xF8) == 0xF0 ? 3 : 0;
    wchar_t v = more ? b & (0x3F >> more) : b;
    for (size_t i = 0; i < more; i++) {
        unsigned char c;
        if ((rc = repl_read_byte(r, &c)) != 1) return rc;
        if ((c & 0xC0) != 0x80) {   /* not a continuation: it starts the next character */
            r->pending = c;
            v = 0xFFFD;
            break;
        }
        v = (v << 6) | (c & 0x3F);
    }
    *wc = v;
    return 1;
}

static const char *repl_prompt(EditLine *el)
{
    return repl_of(el)->query.len ? "...> " : "kql> ";
}

/* Prints the candidates under the line, in columns across the terminal. */
static void repl_list(const repl_names *names)
{
    int rows, cols;
    if (!cli_terminal_size(&rows, &cols)) cols = 80;
    size_t w = 0;
    for (size_t i = 0; i < names->n; i++)
        if (strlen(names->v[i]) > w) w = strlen(names->v[i]);
    size_t per_line = (size_t)cols / (w + 2);
    if (per_line == 0) per_line = 1;
    fputc('\n', stdout);
    for (size_t i = 0; i < names->n; i++)
        printf("%-*s%s", (int)w, names->v[i], (i + 1) % per_line == 0 || i + 1 == names->n ? "\n" : "  ");
    fflush(stdout);
}

/* Tab: completes the word before the cursor as far as the candidates agree,
 * or lists them when they agree no further. */
static unsigned char repl_complete_key(EditLine *el, int ch)
{
    (void)ch;
    repl *r = repl_of(el);
    const LineInfo *li = el_line(el);
    kql_buf text;
    kql_buf_init(&text);
    kql_buf_put(&text, r->query.data, r->query.len);
    kql_buf_put(&text, li->buffer, (size_t)(li->cursor - li->buffer));
    repl_names names;
    /* binding runs in the engine's locale, and may run a subquery (toscalar),
     * which Ctrl-C must be able to stop */
    locale_t editing = uselocale(LC_GLOBAL_LOCALE);
    sigset_t reading;
    sigprocmask(SIG_SETMASK, &r->reading_mask, &reading);
    size_t word = repl_complete(text.data ? text.data : "", text.len, r->s->cat, &names);
    sigprocmask(SIG_SETMASK, &reading, NULL);
    uselocale(editing);
    size_t typed = text.len - word;
    unsigned char ret = CC_ERROR;
    if (names.n > 0) {
        size_t common = strlen(names.v[0]);
        for (size_t i = 1; i < names.n; i++) {
            size_t k = 0;
            while (k < common && names.v[i][k] == names.v[0][k]) k++;
            common = k;
        }
        if (names.n == 1 || common > typed) {
            char *ins = strndup(names.v[0], common);   /* freed below */
            el_deletestr(el, (int)typed);
            el_insertstr(el, ins);
            size_t last = strlen(names.v[0]);
            if (names.n == 1 && names.v[0][last - 1] != '/') el_insertstr(el, " ");   /* a folder goes on */
            free(ins);
            ret = CC_REFRESH;
        } else {
            repl_list(&names);
            ret = CC_REDISPLAY;
        }
    }
    repl_names_free(&names);
    kql_buf_free(&text);
    return ret;
}

static void repl_remember(repl *r, const char *entry)
{
    HistEvent ev;
    history(r->hist, &ev, H_ENTER, entry);
    if (r->hist_path) history(r->hist, &ev, H_SAVE, r->hist_path);
}

/* Whether the query so far holds only let and set statements. */
static bool repl_only_lets(const repl *r)
{
    kql_syntax_error se;
    ast_node *root = kql_parse(r->query.data, r->query.len, &se);
    if (!root) return false;
    bool only = true;
    for (size_t i = 0; i < root->nkids; i++)
        if (root->kids[i]->kind != AST_LET && root->kids[i]->kind != AST_SET) only = false;
    ast_free(root);
    return only;
}

static void repl_run_query(repl *r)
{
    while (r->query.len && r->query.data[r->query.len - 1] == '\n') r->query.len--;
    kql_buf_cstr(&r->query);
    repl_remember(r, r->query.data);
    cli_source src = { "<query>", r->query.data, r->query.len };
    cli_session_run(r->s, &src, 0, src.len, 1);
    kql_buf_clear(&r->query);
}

static bool repl_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return false;
    return true;
}

/* One line from the editor, without its newline. */
static void repl_line(repl *r, const char *line, size_t n)
{
    bool blank = repl_blank(line, n);
    if (r->query.len == 0) {
        size_t lead = 0;
        while (lead < n && (line[lead] == ' ' || line[lead] == '\t')) lead++;
        if (blank) return;
        if (line[lead] == '.') {
            char *cmd = strndup(line + lead, n - lead);   /* freed below */
            repl_remember(r, cmd);
            kql_cancel_clear();
            repl_command_run(r->s, cmd);
            free(cmd);
            return;
        }
    }
    if (blank) {
        repl_run_query(r);
        return;
    }
    kql_buf_put(&r->query, line, n);
    kql_buf_putc(&r->query, '\n');
    size_t end = n;
    while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t' || line[end - 1] == '\r')) end--;
    bool recalled = memchr(line, '\n', n) != NULL;   /* a multi-line history entry */
    if (recalled || (end > 0 && line[end - 1] == ';' && !repl_only_lets(r))) repl_run_query(r);
}

/* $KQL_HISTORY, or ~/.kql_history (owned by the caller); NULL without either. */
static char *repl_history_path(void)
{
    const char *p = getenv("KQL_HISTORY"), *home = getenv("HOME");
    if (p && *p) return strdup(p);
    if (!home || !*home) return NULL;
    kql_buf b;
    kql_buf_init(&b);
    kql_buf_printf(&b, "%s/.kql_history", home);
    return b.data;
}

int cli_repl(cli_session *s)
{
    repl r = { .s = s, .pending = -1 };
    kql_buf_init(&r.query);
    struct sigaction sa = { .sa_handler = repl_on_sigint }, old_int;
    sigemptyset(&sa.sa_mask);   /* no SA_RESTART: Ctrl-C interrupts the editor's read */
    sigaction(SIGINT, &sa, &old_int);

    HistEvent ev;
    r.hist = history_init();
    history(r.hist, &ev, H_SETSIZE, REPL_HISTORY_SIZE);
    history(r.hist, &ev, H_SETUNIQUE, 1);
    r.hist_path = repl_history_path();
    if (r.hist_path) history(r.hist, &ev, H_LOAD, r.hist_path);

    locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);   /* NULL: ASCII editing only */
    if (utf8) uselocale(utf8);   /* el_init sets up its character handling by it */
    r.el = el_init("kql", stdin, stdout, stderr);
    el_set(r.el, EL_CLIENTDATA, &r);
    el_set(r.el, EL_EDITOR, "emacs");
    el_set(r.el, EL_PROMPT, repl_prompt);
    el_set(r.el, EL_HIST, history, r.hist);
    el_set(r.el, EL_GETCFN, repl_getc);
    /* the wide call: libedit's narrow EL_ADDFN copies the names and never frees them */
    el_wset(r.el, EL_ADDFN, L"kql-complete", L"complete a table, operator, column or function", repl_complete_key);
    el_wset(r.el, EL_BIND, L"^I", L"kql-complete", NULL);
    el_source(r.el, NULL);   /* the user's ~/.editrc */
    uselocale(LC_GLOBAL_LOCALE);

    printf("kql: %zu table%s loaded. Queries end at a blank line; .help lists commands; Ctrl-D quits.\n",
           s->cat->ntables, s->cat->ntables == 1 ? "" : "s");
    sigset_t sigint, open_mask;
    sigemptyset(&sigint);
    sigaddset(&sigint, SIGINT);
    sigprocmask(SIG_BLOCK, NULL, &open_mask);
    sigdelset(&open_mask, SIGINT);
    r.reading_mask = open_mask;
    while (!s->quit) {
        int count;
        errno = 0;
        sigprocmask(SIG_BLOCK, &sigint, NULL);   /* until repl_getc waits */
        kql_cancel_clear();
        /* editing mode before the prompt shows: el_gets would switch only at
         * its first read, and a key typed in between (Ctrl-D) would meet the
         * terminal's line discipline instead */
        el_set(r.el, EL_PREP_TERM, 1);
        if (utf8) uselocale(utf8);
        const char *line = el_gets(r.el, &count);
        uselocale(LC_GLOBAL_LOCALE);
        sigprocmask(SIG_SETMASK, &open_mask, NULL);
        if (!line) {
            if (count < 0 && (errno == EINTR || kql_cancelled())) {   /* Ctrl-C at the prompt */
                kql_cancel_clear();
                kql_buf_clear(&r.query);
                fputs("^C\n", stdout);
                continue;
            }
            fputc('\n', stdout);   /* Ctrl-D */
            break;
        }
        size_t n = (size_t)count;
        if (n && line[n - 1] == '\n') n--;
        repl_line(&r, line, n);
    }

    el_end(r.el);
    if (utf8) freelocale(utf8);
    history_end(r.hist);
    free(r.hist_path);
    kql_buf_free(&r.query);
    sigaction(SIGINT, &old_int, NULL);
    return CLI_EXIT_OK;
}
