/*
 * view_gen.c -- writes a synthetic GIL trace of about N events, for the
 * viewer's benchmarks (bench/view_load.sh): four threads under the tick
 * policy passing the GIL around every few microseconds, with checks,
 * failed wake-ups, a sleeping thread, prints and collections -- the
 * shapes of a real trace, at any size, in seconds.
 *
 *   view_gen N OUT.jsonl
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t rng = 0x853c49e6748fea9bu;

static unsigned rnd(unsigned n)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (unsigned)(rng >> 33) % n;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: view_gen N OUT.jsonl\n");
        return 2;
    }
    long long want = atoll(argv[1]), n = 0;
    FILE *f = fopen(argv[2], "w");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    fprintf(f, "{\"ev\":\"meta\",\"t\":0,\"format\":\"gilscope-trace\",\"version\":2,"
               "\"gilscope\":\"0.1.0\",\"script\":\"bench/view_gen\",\"argv\":[\"view_gen\","
               "\"%lld\"],\"cpython\":\"2.7\",\"policy\":\"tick\",\"check_interval\":100,"
               "\"switch_interval\":0.005,\"clock\":\"sim\",\"categories\":[\"gil\",\"thread\","
               "\"io\",\"gc\",\"print\",\"check\"],\"start_time\":\"2026-11-22T00:00:00Z\"}\n", want);
    long long t = 1000, since = t;
    int holder = 0;
    fprintf(f, "{\"ev\":\"gil_acquire\",\"t\":%lld,\"tid\":0,\"wait\":0}\n", t);
    fprintf(f, "{\"ev\":\"thread_start\",\"t\":%lld,\"tid\":0,\"name\":\"MainThread\"}\n", t);
    for (int k = 1; k < 4; k++)
        fprintf(f, "{\"ev\":\"gil_request\",\"t\":%lld,\"tid\":%d,\"holder\":0}\n", t, k);
    n += 5;
    while (n < want) {
        t += 3000 + rnd(4000);
        int next = rnd(4) == 0 ? (holder + 1 + (int)rnd(3)) % 4 : holder;
        if (next != holder && rnd(3) == 0) {
            fprintf(f, "{\"ev\":\"gil_retry\",\"t\":%lld,\"tid\":%d,\"holder\":%d}\n", t - 500,
                    next, holder);
            n++;
        }
        if (rnd(50) == 0) {
            fprintf(f, "{\"ev\":\"print\",\"t\":%lld,\"tid\":%d,\"text\":\"step %lld\"}\n",
                    t - 200, holder, n);
            n++;
        }
        if (rnd(200) == 0) {
            fprintf(f, "{\"ev\":\"gc_start\",\"t\":%lld,\"tid\":%d,\"gen\":0}\n"
                       "{\"ev\":\"gc_end\",\"t\":%lld,\"tid\":%d,\"gen\":0,\"collected\":2}\n",
                    t - 150, holder, t - 100, holder);
            n += 2;
        }
        fprintf(f, "{\"ev\":\"gil_release\",\"t\":%lld,\"tid\":%d,\"why\":\"check\",\"held\":%lld}\n"
                   "{\"ev\":\"checks\",\"t\":%lld,\"tid\":%d,\"checks\":100}\n"
                   "{\"ev\":\"gil_acquire\",\"t\":%lld,\"tid\":%d,\"wait\":%lld}\n",
                t, holder, t - since, t, holder, t + 30, next, next == holder ? 30LL : 3000LL);
        n += 3;
        holder = next;
        since = t + 30;
        t += 30;
    }
    fprintf(f, "{\"ev\":\"end\",\"t\":%lld,\"status\":0,\"reason\":\"exit\",\"events\":%lld}\n",
            t + 1000, n);
    return fclose(f) == 0 ? 0 : 1;
}
