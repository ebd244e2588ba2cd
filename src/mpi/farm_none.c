/* farm_none.c - farm.h in a build without MPI (make without MPI=1): --mpi is
 * refused with farm_init's message, and nothing else is ever called. */
#include <stdio.h>
#include <stdlib.h>

#include "farm.h"

struct Farm {
    int unused;
};

int farm_available(void) { return 0; }

int farm_init(Farm **farm, char *err, size_t errlen)
{
    *farm = NULL;
    snprintf(err, errlen, "--mpi: this nnlab was built without MPI (build it with make MPI=1)");
    return -1;
}

int farm_leads(const Farm *farm)
{
    (void)farm;
    return 1;
}

int farm_agree(Farm *farm, int status)
{
    (void)farm;
    return status;
}

FarmStats farm_train(Farm *farm, FarmRun *runs, int n, FarmDone done, void *ctx,
                     volatile sig_atomic_t *stop)
{
    (void)farm, (void)runs, (void)n, (void)done, (void)ctx, (void)stop;
    abort(); /* farm_init never made a Farm */
}

int farm_finish(Farm *farm, int status)
{
    (void)farm;
    return status;
}
