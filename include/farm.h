/* farm.h - the runs of an experiment farmed out to the ranks of an MPI job
 * (src/mpi): `mpirun -np N nnlab run --mpi FILE.ini`.
 *
 * Every rank reads the experiment. Rank 0 prepares every run (data set and
 * starting network, from the run's seed) and hands them out one at a time,
 * the longest first (epochs x points x parameters), to the other ranks as
 * they become free; each prepares its run the same way, so that nothing but
 * the run's number is sent, trains it single-threaded and sends back the
 * result (a message of the form below). Rank 0 alone writes files and draws.
 * With one rank, rank 0 trains every run itself, one at a time.
 *
 * A rank that dies ends the whole job: Open MPI's mpirun kills the other
 * ranks when one exits abnormally, and its default error handler aborts a
 * rank whose MPI call fails. Rank 0 then never finishes, and the output
 * folders keep the RUN_MARKER file that says they are incomplete.
 *
 * Built with MPI (make MPI=1) from src/mpi/farm.c, without from
 * src/mpi/farm_none.c, whose farm_init says so. src/mpi/message.c, the
 * message's form, needs no MPI.
 */
#ifndef NNLAB_FARM_H
#define NNLAB_FARM_H

#include <signal.h>
#include <stddef.h>

#include "run.h"

/* One run as the farm sees it. On rank 0 res is prepared (run_prepare) and
 * receives the result, wherever the run was trained; on the others it is
 * empty until the run is handed out there, and emptied once sent. */
typedef struct {
    const RunSpec *spec;
    RunResult *res;
    int *started; /* set to 1 when the run is handed out (or trained here) */
} FarmRun;

/* Called on rank 0 with the index of each run as its result comes in. */
typedef void (*FarmDone)(int run, void *ctx);

typedef struct Farm Farm;

/* 1 if this build has MPI. */
int farm_available(void);
/* Joins the MPI job (MPI_Init). Returns 0, or -1 with a message (built
 * without MPI, or MPI failed to start). */
int farm_init(Farm **farm, char *err, size_t errlen);
/* 1 on rank 0, which writes the outputs. */
int farm_leads(const Farm *farm);
/* Every rank passes its status once ready to train (rank 0: having prepared
 * the runs; 0: ready); returns the worst (largest) of them, so that all go on
 * or all stop together. */
int farm_agree(Farm *farm, int status);
/* After farm_agree gave 0, on every rank: rank 0 hands out runs[0..n) and
 * collects their results, calling done (unless NULL) for each; the others
 * prepare and train what they are given and free each result once sent; one
 * that cannot prepare a run ends the job (MPI_Abort). An interrupt
 * (stop) hands out no more runs and stops those running at the end of their
 * epoch. A result that does not fit the run rank 0 prepared ends the job
 * (MPI_Abort). Returns on rank 0 what it saw, elsewhere zeros. */
typedef struct {
    int workers;     /* ranks besides rank 0: 0 if rank 0 trained every run */
    int ranks;       /* that trained runs */
    int runs;        /* whose results came in */
    double training; /* their seconds of training (RunResult.seconds), summed */
    double beyond;   /* the rest of the seconds from handing each out to its result being
                      * in, summed: messages, waiting, the final predictions (0 on 1 rank) */
} FarmStats;
FarmStats farm_train(Farm *farm, FarmRun *runs, int n, FarmDone done, void *ctx,
                     volatile sig_atomic_t *stop);
/* Leaves the job (MPI_Finalize), first releasing workers still waiting for
 * runs, and frees farm; returns status. Every rank must call it. */
int farm_finish(Farm *farm, int status);

/* The message of one result, in the byte order and floating-point format of
 * the machines (all ranks must share them):
 *   int64 header: FARM_MAGIC, run index, status, epochs in the history,
 *     whether it has the test set's columns, length of output, of
 *     test_output, number of parameters;
 *   doubles: seconds, final_loss, final_accuracy, test_loss, test_accuracy;
 *   then the arrays: loss, accuracy, (test_loss, test_accuracy), output,
 *   test_output, the network's parameters.
 * The lengths come from the result itself (its data set's points times the
 * network's outputs, ...). A run out of memory sends the header alone. */
#define FARM_MAGIC 0x6e6e6c6162303031LL /* "nnlab001" */
#define FARM_HEADER_WORDS 8
#define FARM_SCALARS 5

/* Bytes of res's message. */
size_t farm_message_size(const RunResult *res);
/* Writes res's message as run index into buf (farm_message_size bytes). */
void farm_pack(const RunResult *res, int index, void *buf);
/* The run index of a message, or -1 if it is not one. */
int farm_message_run(const void *buf, size_t len);
/* Fills res, prepared for the same run, from a message. Returns 0, or -1
 * with a message if the message does not fit res (another shape, another
 * number of points) or is cut short. */
int farm_unpack(const void *buf, size_t len, RunResult *res, char *err, size_t errlen);

#endif
