/* cancel.c - the cancellation flag of cancel.h, set from a signal handler. */
#include "cancel.h"

volatile sig_atomic_t kql_cancel_flag;

void kql_cancel_request(void)
{
    kql_cancel_flag = 1;
}

void kql_cancel_clear(void)
{
    kql_cancel_flag = 0;
}
