/* main.c - the kql program's entry: picks the command from the first argument.
 *
 *   kql [OPTIONS] (-q QUERY | FILE.kql ...)    run queries (cmd_run.c)
 *   kql test [OPTIONS] [PATH...]              run test files (cmd_test.c)
 *   kql diff OLD.kql NEW.kql [OPTIONS]        compare two queries' results (cmd_diff.c)
 *   kql generate TABLE [OPTIONS]              write sample sign-in logs (cmd_generate.c)
 *
 * Each command lives in its own cli/cmd_*.c file and is listed once below.
 */
#include <string.h>

#include "cli.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    { "test", cli_cmd_test },
    { "diff", cli_cmd_diff },
    { "generate", cli_cmd_generate },
    { NULL, NULL },
};

int main(int argc, char **argv)
{
    if (argc > 1)
        for (size_t i = 0; commands[i].name; i++)
            if (strcmp(argv[1], commands[i].name) == 0) return commands[i].run(argc - 1, argv + 1);
    return cli_cmd_run(argc, argv);
}
