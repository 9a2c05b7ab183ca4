/*
 * The demo program: a WASI command that reads a text file from a
 * directory the host maps in, counts lines, words and letters, lists the
 * most frequent words, and writes a summary file next to it.
 *
 *   kiln --map-dir=/data::demo/data demo/wordcount.wasm /data/poem.txt
 *
 * Exit status 0 on success, 2 when the file cannot be read.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 4096
#define MAX_LEN 32

struct word {
    char text[MAX_LEN];
    int count;
};

static struct word words[MAX_WORDS];
static int nwords;

static void add_word(const char *w) {
    for (int i = 0; i < nwords; i++) {
        if (strcmp(words[i].text, w) == 0) {
            words[i].count++;
            return;
        }
    }
    if (nwords < MAX_WORDS) {
        strncpy(words[nwords].text, w, MAX_LEN - 1);
        words[nwords++].count = 1;
    }
}

static int by_count(const void *a, const void *b) {
    const struct word *x = a, *y = b;
    if (x->count != y->count) return y->count - x->count;
    return strcmp(x->text, y->text);
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "/data/poem.txt";
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "wordcount: cannot open %s: %s\n", path, strerror(errno));
        return 2;
    }
    long lines = 0, nw = 0, letters = 0;
    char cur[MAX_LEN];
    int len = 0, c;
    unsigned hash = 2166136261u;
    while ((c = fgetc(f)) != EOF) {
        hash = (hash ^ (unsigned char)c) * 16777619u;
        if (c == '\n') lines++;
        if (isalpha(c) || c == '\'') {
            letters += isalpha(c) != 0;
            if (len < MAX_LEN - 1) cur[len++] = (char)tolower(c);
        } else if (len > 0) {
            cur[len] = 0;
            add_word(cur);
            nw++;
            len = 0;
        }
    }
    if (len > 0) {
        cur[len] = 0;
        add_word(cur);
        nw++;
    }
    fclose(f);
    qsort(words, nwords, sizeof words[0], by_count);
    printf("%s: %ld lines, %ld words (%d different), %ld letters\n", path, lines, nw, nwords,
           letters);
    printf("most frequent:");
    for (int i = 0; i < nwords && i < 5; i++) printf(" %s(%d)", words[i].text, words[i].count);
    printf("\nfnv-1a of the text: %08x\n", hash);

    /* Write the summary beside the input, inside the mapped directory. */
    char out[256];
    snprintf(out, sizeof out, "%s.summary", path);
    FILE *o = fopen(out, "w");
    if (!o) {
        fprintf(stderr, "wordcount: cannot write %s: %s\n", out, strerror(errno));
        return 2;
    }
    fprintf(o, "%ld %ld %d %ld %08x\n", lines, nw, nwords, letters, hash);
    fclose(o);
    printf("wrote %s\n", out);
    return 0;
}
