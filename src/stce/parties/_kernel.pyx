# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Compiled twins of the screener's hot loops: similar-token lookup, candidate retrieval and
name scoring.

Why: with the lists in memory, screening a distinct name is dominated by Python dict and loop
work (deletion variants looked up, rarity weights summed over posting lists, name parts
aligned). These functions do the same arithmetic, in the same order, over the index's flat
arrays. The pure-Python versions (`NameIndex._similar_tokens`, `NameIndex.candidates`,
`scorer.score_name`) stay the reference: tests compare the two on thousands of names, and stce
uses them wherever this module is not built.
"""

from cpython.list cimport PyList_GET_ITEM
from cpython.unicode cimport PyUnicode_DATA, PyUnicode_KIND, PyUnicode_READ
from libc.math cimport pow
from libc.stdint cimport uint64_t
from libc.stdlib cimport calloc, free, malloc, qsort

from rapidfuzz.distance import OSA

from stce.parties import index as _index
from stce.parties import normalise as _normalise
from stce.parties.index import (
    QueryToken,
    edit_budget,
    phonetic_key,
)
from stce.parties.normalise import consonants, spelling_key
from stce.parties.scorer import explanation as _explanation

cdef enum:
    MAX_BUDGET_LEN = 256
    MAX_OSA_LEN = 64
    MAX_DELETE_LEN = 40
    SEEN_SLOTS = 2048  # > 1 + 40 + 40 * 39 / 2 variants of the longest token with deletions

_EDITS = ("0 edits", "1 edit", "2 edits", "3 edits", "4 edits")

# `NameIndex.similar_by_sound`'s similarities and reasons
cdef double CONSONANT_SIMILARITY = _index.CONSONANT_SIMILARITY
cdef double VARIANT_SIMILARITY = _index.VARIANT_SIMILARITY
cdef double SPELLING_SIMILARITY = _index.SPELLING_SIMILARITY
cdef double PHONETIC_SIMILARITY = _index.PHONETIC_SIMILARITY
_CONSONANTS = (_index.CONSONANT_SIMILARITY, "consonants")
_VARIANT = (_index.VARIANT_SIMILARITY, "listed variant")
_SPELLING = (_index.SPELLING_SIMILARITY, "spelling")
_SOUND = (_index.PHONETIC_SIMILARITY, "sound")

# `normalise.spelling_key`'s rewrites (`normalise._SPELLING`) as C arrays
cdef extern from "Python.h":
    object PyUnicode_FromKindAndData(int kind, const void* buffer, Py_ssize_t size)
    int PyUnicode_4BYTE_KIND

cdef enum:
    MAX_KEY_LEN = 64  # longer tokens go to the Python `spelling_key`
    MAX_RULES = 32

cdef Py_UCS4 RULE_FROM[MAX_RULES][3]
cdef int RULE_LEN[MAX_RULES]
cdef Py_UCS4 RULE_TO[MAX_RULES]
cdef int N_RULES = -1  # -1: the rewrites do not fit the arrays (`_spelling_key` asks Python)


cdef int _table_rules() except -1:
    global N_RULES
    cdef int r = 0, i
    rules = _normalise._SPELLING
    if len(rules) > MAX_RULES or any(not 1 <= len(a) <= 3 or len(b) != 1 for a, b in rules):
        return 0
    for a, b in rules:
        RULE_LEN[r] = len(a)
        for i in range(len(a)):
            RULE_FROM[r][i] = ord(a[i])
        RULE_TO[r] = ord(b)
        r += 1
    N_RULES = r
    return 0


_table_rules()


cdef str _generic_key(str key):
    """`normalise._generic_key` after `korean_fold`: the rewrites in order (each as
    `str.replace`: left to right, not overlapping), then letter runs made single (as
    `_undouble`: a run of any character but a newline)."""
    cdef Py_ssize_t n = len(key), i, j, k
    cdef int r, m
    cdef Py_UCS4 buf0[MAX_KEY_LEN]
    cdef Py_UCS4 buf1[MAX_KEY_LEN]
    cdef Py_UCS4* src = buf0
    cdef Py_UCS4* dst = buf1
    cdef Py_UCS4* tmp
    cdef Py_UCS4 c
    cdef bint changed = False, hit
    cdef int kind = PyUnicode_KIND(key)
    cdef void* data = PyUnicode_DATA(key)
    for i in range(n):
        src[i] = PyUnicode_READ(kind, data, i)
    for r in range(N_RULES):
        m = RULE_LEN[r]
        # most rewrites find nothing: look for the first match before copying anything
        i = 0
        while i + m <= n and not (src[i] == RULE_FROM[r][0] and (
            m == 1 or (src[i + 1] == RULE_FROM[r][1] and (m == 2 or src[i + 2] == RULE_FROM[r][2]))
        )):
            i += 1
        if i + m > n:
            continue
        for j in range(i):
            dst[j] = src[j]
        j = i
        hit = False
        while i < n:
            if i + m <= n and src[i] == RULE_FROM[r][0] and (
                m == 1 or (src[i + 1] == RULE_FROM[r][1] and (m == 2 or src[i + 2] == RULE_FROM[r][2]))
            ):
                dst[j] = RULE_TO[r]
                i += m
                hit = True
            else:
                dst[j] = src[i]
                i += 1
            j += 1
        if hit:
            n = j
            tmp = src
            src = dst
            dst = tmp
            changed = True
    # runs of one character made single
    j = 0
    for i in range(n):
        c = src[i]
        if j > 0 and c == src[j - 1] and c != 10:  # "\n": `.` does not match it
            changed = True
            continue
        src[j] = c
        j += 1
    if not changed:
        return key
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, src, j)


# `QueryToken(token, cls, weight, abjad)` without running the dataclass's `__init__` (a frozen
# dataclass sets each field through `object.__setattr__` in Python, about a microsecond): the
# same four slots set by the same generic setter, where the class still has just those fields
cdef extern from "Python.h":
    int PyObject_GenericSetAttr(object o, object name, object value) except -1

import dataclasses as _dataclasses

cdef object _new_object = object.__new__
cdef bint _QUERY_TOKEN_SLOTS = (
    tuple(f.name for f in _dataclasses.fields(QueryToken)) == ("token", "cls", "weight", "abjad")
    and getattr(QueryToken, "__slots__", None) == ("token", "cls", "weight", "abjad")
    and not hasattr(QueryToken, "__post_init__")
)


cdef object _query_token(str token, object cls, double weight, bint abjad):
    if not _QUERY_TOKEN_SLOTS:
        return QueryToken(token, cls, weight, abjad)
    q = _new_object(QueryToken)
    PyObject_GenericSetAttr(q, "token", token)
    PyObject_GenericSetAttr(q, "cls", cls)
    PyObject_GenericSetAttr(q, "weight", weight)
    PyObject_GenericSetAttr(q, "abjad", abjad)
    return q


def query_token(str token, object cls, double weight, bint abjad):
    """`_query_token`, for the tests that compare it with the dataclass."""
    return _query_token(token, cls, weight, abjad)


# what a part of a glued token is (`Kernel._split`), as bits
cdef enum:
    PART_LISTED = 1
    PART_GENERIC = 2
    PART_GLUE = 4
    PART_LEGAL = 8


cdef enum:
    PART_BLOOM_BITS = 1 << 20  # 128 KiB: about 40,000 parts leave 1 in 200 false hits
    MAX_SPLIT_LEN = 64

cdef uint64_t FNV_OFFSET = 1469598103934665603ULL
cdef uint64_t FNV_PRIME = 1099511628211ULL


cdef inline uint64_t _part_hash(uint64_t h, Py_ssize_t n) noexcept:
    """The hash of a part whose code points FNV-1a hashed to h, its length mixed in."""
    h ^= <uint64_t>n
    h *= FNV_PRIME
    return h


cdef inline bint _maybe_part(const uint64_t* bloom, uint64_t h) noexcept:
    cdef uint64_t a = h & (PART_BLOOM_BITS - 1), b = (h >> 40) & (PART_BLOOM_BITS - 1)
    return (bloom[a >> 6] >> (a & 63)) & 1 and (bloom[b >> 6] >> (b & 63)) & 1


cdef inline long _start_key(Py_UCS4 first, long length) noexcept:
    return (<long>first << 6) | length


cdef inline long _swap_key(Py_UCS4 second, Py_UCS4 first, long length) noexcept:
    return (((<long>second << 21) | <long>first) << 6) | length

cdef int NAME = 0
cdef int PARTICLE = 2
cdef int NOTE_LITTLE = 1
cdef int NOTE_GENERIC = 2
cdef int NOTE_ONE_PART = 4

# scorer constants (stce.parties.scorer), passed in at construction and kept here
cdef double MISSING_FACTOR, EXTRA_FACTOR, CONTRADICTION_FACTOR, MIN_EVIDENCE
cdef double SINGLE_PART_CAP, INITIAL_SIMILARITY


cdef struct Scored:
    double u
    double v
    int k


cdef int _cmp_scored(const void* a, const void* b) noexcept nogil:
    # descending by (u, v, k), as heapq.nlargest orders the Python tuples
    cdef const Scored* x = <const Scored*>a
    cdef const Scored* y = <const Scored*>b
    if x.u != y.u:
        return -1 if x.u > y.u else 1
    if x.v != y.v:
        return -1 if x.v > y.v else 1
    if x.k != y.k:
        return -1 if x.k > y.k else 1
    return 0


cdef struct Pair:
    double sim
    double wsum
    int dist
    int i
    int j
    int initial


cdef struct Step:
    # one step of a name's alignment: 0 (party part x matched to list part y), 1 (party
    # parts x and y joined to list part k) or 2 (list parts x and y split in party part k)
    int kind
    int x
    int y
    int k
    double sim


cdef struct Trace:
    # the alignment of one list name, step by step; every step uses up at least one part of
    # each side, and names of over 64 parts are left to Python
    int n
    Step steps[64]


cdef int _cmp_pair(const void* a, const void* b) noexcept nogil:
    # descending by (sim, weight sum, -|i - j|, i, j), as score_name sorts its tuples
    cdef const Pair* x = <const Pair*>a
    cdef const Pair* y = <const Pair*>b
    if x.sim != y.sim:
        return -1 if x.sim > y.sim else 1
    if x.wsum != y.wsum:
        return -1 if x.wsum > y.wsum else 1
    if x.dist != y.dist:
        return -1 if x.dist < y.dist else 1
    if x.i != y.i:
        return -1 if x.i > y.i else 1
    if x.j != y.j:
        return -1 if x.j > y.j else 1
    return 0


cdef inline bint _member(const unsigned int[::1] post, unsigned int a, unsigned int b,
                         unsigned int nid) noexcept:
    # posting lists are sorted: binary search
    cdef unsigned int lo = a, hi = b, mid
    while lo < hi:
        mid = (lo + hi) >> 1
        if post[mid] < nid:
            lo = mid + 1
        else:
            hi = mid
    return lo < b and post[lo] == nid


cdef inline uint64_t _hash_without(str s, Py_ssize_t skip1, Py_ssize_t skip2) noexcept:
    """FNV-1a over the code points of `s` less positions skip1 and skip2 (-1: none): the
    hash of one deletion variant, computed without making the string."""
    cdef uint64_t h = 1469598103934665603ULL
    cdef Py_ssize_t i, n = len(s)
    cdef int kind = PyUnicode_KIND(s)
    cdef void* data = PyUnicode_DATA(s)
    for i in range(n):
        if i == skip1 or i == skip2:
            continue
        h ^= <uint64_t>PyUnicode_READ(kind, data, i)
        h *= 1099511628211ULL
    h ^= <uint64_t>(n - (skip1 >= 0) - (skip2 >= 0))
    h *= 1099511628211ULL
    return h if h != 0 else 1


cdef inline uint64_t _fnv_more(uint64_t h, str s) noexcept:
    """`_hash_without`'s FNV-1a state carried over the code points of `s`."""
    cdef Py_ssize_t i, n = len(s)
    cdef int kind = PyUnicode_KIND(s)
    cdef void* data = PyUnicode_DATA(s)
    for i in range(n):
        h ^= <uint64_t>PyUnicode_READ(kind, data, i)
        h *= 1099511628211ULL
    return h


cdef inline uint64_t _fnv_over(uint64_t h, const Py_UCS4* chars, Py_ssize_t a,
                               Py_ssize_t b) noexcept:
    """FNV-1a state h carried over chars[a:b]."""
    cdef Py_ssize_t k
    for k in range(a, b):
        h ^= <uint64_t>chars[k]
        h *= 1099511628211ULL
    return h


cdef inline uint64_t _fnv_end(uint64_t h, Py_ssize_t n) noexcept:
    """`_hash_without(s, -1, -1)` of a string of n code points whose FNV-1a state is h: the
    hash of strings joined (or of a deletion variant) computed without making it."""
    h ^= <uint64_t>n
    h *= 1099511628211ULL
    return h if h != 0 else 1


cdef extern from *:
    void __builtin_prefetch(const void* address) nogil


cdef inline int _add_unique(uint64_t h, uint64_t* seen, uint64_t mask, uint64_t* uniq,
                            int n_uniq) noexcept:
    """Append variant hash h to `uniq` unless already there ("aab" less either "a" is one
    variant); `seen` is an open-addressing set of mask + 1 slots."""
    cdef uint64_t s = h & mask
    while seen[s] != 0:
        if seen[s] == h:
            return n_uniq
        s = (s + 1) & mask
    seen[s] = h
    uniq[n_uniq] = h
    return n_uniq + 1


cdef struct Slot:
    uint64_t key  # the variant's hash; 0: empty
    int value  # a vocabulary id, or -(offset + 1) of a counted list of ids in `multi`


cdef class DeleteTable:
    """`NameIndex.deletes` as an open-addressing table of 64-bit key hashes.

    Why: the dict holds 600,000 strings; a lookup that misses (most deletion variants do)
    costs cache misses on the table and on the key objects, about half a microsecond. Here a
    probe reads one 12-byte slot, and variants are hashed without being built as strings. A
    collision between a variant and a key can only add a candidate, which the edit-distance
    check then rejects; two keys colliding (about one chance in 10^7 for the whole index)
    would keep the first key's ids only.
    """

    cdef Slot* slots
    cdef int* multi
    cdef uint64_t mask

    def __cinit__(self, dict deletes):
        cdef uint64_t cap = 1, h, slot
        cdef Py_ssize_t n_multi = 0, pos = 0
        while cap < <uint64_t>(2 * len(deletes) + 2):
            cap <<= 1
        self.mask = cap - 1
        for value in deletes.values():
            if type(value) is not int:
                n_multi += 1 + len(value)
        self.slots = <Slot*>calloc(cap, sizeof(Slot))
        self.multi = <int*>malloc((n_multi + 1) * sizeof(int))
        if self.slots == NULL or self.multi == NULL:
            raise MemoryError()
        for key, value in deletes.items():
            h = _hash_without(key, -1, -1)
            slot = h & self.mask
            while self.slots[slot].key != 0 and self.slots[slot].key != h:
                slot = (slot + 1) & self.mask
            if self.slots[slot].key == h:
                continue  # two keys with one hash: the first keeps the slot (see above)
            self.slots[slot].key = h
            if type(value) is int:
                self.slots[slot].value = value
            else:
                self.slots[slot].value = -(pos + 1)
                self.multi[pos] = len(value)
                for tid in value:
                    pos += 1
                    self.multi[pos] = tid
                pos += 1

    def __dealloc__(self):
        free(self.slots)
        free(self.multi)

    cdef inline int find(self, uint64_t h) noexcept:
        """The slot holding hash h, or -1."""
        cdef uint64_t slot = h & self.mask
        while self.slots[slot].key != 0:
            if self.slots[slot].key == h:
                return <int>slot
            slot = (slot + 1) & self.mask
        return -1


cdef int _osa(str a, str b, int cutoff):
    """Optimal string alignment distance (edits with adjacent transpositions), or cutoff + 1
    when it is larger: rapidfuzz's `OSA.distance(a, b, score_cutoff=cutoff)`."""
    cdef Py_ssize_t n = len(a), m = len(b), i, j
    cdef int cost, best
    cdef int d0[MAX_OSA_LEN + 1]
    cdef int d1[MAX_OSA_LEN + 1]
    cdef int d2[MAX_OSA_LEN + 1]
    cdef int* prev2 = d0
    cdef int* prev = d1
    cdef int* cur = d2
    cdef int* tmp
    if (n - m if n > m else m - n) > cutoff:
        return cutoff + 1
    if n > MAX_OSA_LEN or m > MAX_OSA_LEN:
        return min(OSA.distance(a, b, score_cutoff=cutoff), cutoff + 1)
    cdef int ka = PyUnicode_KIND(a), kb = PyUnicode_KIND(b)
    cdef void* da = PyUnicode_DATA(a)
    cdef void* db = PyUnicode_DATA(b)
    cdef Py_UCS4 ca[MAX_OSA_LEN]
    cdef Py_UCS4 cb[MAX_OSA_LEN]
    for i in range(n):
        ca[i] = PyUnicode_READ(ka, da, i)
    for j in range(m):
        cb[j] = PyUnicode_READ(kb, db, j)
    for j in range(m + 1):
        prev[j] = j
    for i in range(1, n + 1):
        cur[0] = i
        for j in range(1, m + 1):
            cost = 0 if ca[i - 1] == cb[j - 1] else 1
            best = prev[j - 1] + cost
            if prev[j] + 1 < best:
                best = prev[j] + 1
            if cur[j - 1] + 1 < best:
                best = cur[j - 1] + 1
            if i > 1 and j > 1 and ca[i - 1] == cb[j - 2] and ca[i - 2] == cb[j - 1]:
                if prev2[j - 2] + 1 < best:
                    best = prev2[j - 2] + 1
            cur[j] = best
        tmp = prev2
        prev2 = prev
        prev = cur
        cur = tmp
    return prev[m] if prev[m] <= cutoff else cutoff + 1


cdef double SHORT_EDIT_PENALTY = _index.SHORT_EDIT_PENALTY
cdef double FIRST_LETTER_PENALTY = _index.FIRST_LETTER_PENALTY
cdef int SHORT_TOKEN = _index.SHORT_TOKEN


cdef inline bint _same_start(str a, str b):
    """`index.same_start` (both tokens non-empty)."""
    cdef Py_ssize_t n = len(a), m = len(b)
    cdef int ka = PyUnicode_KIND(a), kb = PyUnicode_KIND(b)
    cdef void* da = PyUnicode_DATA(a)
    cdef void* db = PyUnicode_DATA(b)
    cdef Py_UCS4 a0 = PyUnicode_READ(ka, da, 0), b0 = PyUnicode_READ(kb, db, 0)
    if a0 == b0:
        return True
    return n > 1 and m > 1 and a0 == PyUnicode_READ(kb, db, 1) and PyUnicode_READ(ka, da, 1) == b0


cdef inline double _similarity_from_distance(int distance, int length, bint same_first):
    """`index.token_similarity_from_distance`, in its arithmetic and order."""
    cdef double sim
    if distance == 0:
        return 1.0
    sim = 1.0 - distance * (0.5 / (length if length > 1 else 1)) - 0.08 * distance
    if length <= SHORT_TOKEN:
        sim -= SHORT_EDIT_PENALTY * distance
    if not same_first:
        sim -= FIRST_LETTER_PENALTY
    return sim if sim > 0.0 else 0.0


def same_start(str a, str b):
    """`_same_start`, for the tests that compare it with the Python one."""
    if not a or not b:
        raise ValueError("tokens must not be empty")
    return _same_start(a, b)


def similarity_from_distance(int distance, int length, bint same_first):
    """`_similarity_from_distance`, for the tests that compare it with the Python one."""
    return _similarity_from_distance(distance, length, same_first)


cdef bint _within_one_edit(str a, str b):
    """Whether `OSA.distance(a, b) <= 1`: with their common start and end set aside, what
    is left of the two is at most one letter each, or two letters swapped."""
    cdef Py_ssize_t n = len(a), m = len(b), p = 0, q = 0, la, lb, most
    cdef int ka = PyUnicode_KIND(a), kb = PyUnicode_KIND(b)
    cdef void* da = PyUnicode_DATA(a)
    cdef void* db = PyUnicode_DATA(b)
    if (n - m if n > m else m - n) > 1:
        return False
    most = n if n < m else m
    while p < most and PyUnicode_READ(ka, da, p) == PyUnicode_READ(kb, db, p):
        p += 1
    while q < most - p and (
        PyUnicode_READ(ka, da, n - 1 - q) == PyUnicode_READ(kb, db, m - 1 - q)
    ):
        q += 1
    la = n - p - q
    lb = m - p - q
    if la <= 1 and lb <= 1:
        return True
    return (
        la == 2 and lb == 2
        and PyUnicode_READ(ka, da, p) == PyUnicode_READ(kb, db, p + 1)
        and PyUnicode_READ(ka, da, p + 1) == PyUnicode_READ(kb, db, p)
    )


def within_one_edit(str a, str b):
    """`_within_one_edit`, for the tests that compare it with rapidfuzz."""
    return _within_one_edit(a, b)


cdef struct TidValue:
    int tid
    int how  # of a similar token: how it is similar (`_HOWS`); in the padding
    double value


cdef int _cmp_credit(const void* a, const void* b) noexcept nogil:
    # descending by (gain, tid), as list.sort(reverse=True) orders the (gain, tid) tuples
    cdef const TidValue* x = <const TidValue*>a
    cdef const TidValue* y = <const TidValue*>b
    if x.value != y.value:
        return -1 if x.value > y.value else 1
    if x.tid != y.tid:
        return -1 if x.tid > y.tid else 1
    return 0


cdef int _cmp_tid(const void* a, const void* b) noexcept nogil:
    # ascending by tid (the keys of one dict: all different)
    cdef const TidValue* x = <const TidValue*>a
    cdef const TidValue* y = <const TidValue*>b
    return -1 if x.tid < y.tid else (1 if x.tid > y.tid else 0)


cdef class TokenPlan:
    """What retrieval and scoring need from one weighed query token, worked out once.

    Why: a token reads the same in every name it appears in, and `NameIndex.weighed` keeps
    one per token; laid out here as C arrays, a reading's retrieval walks postings without
    iterating dicts or reading QueryToken attributes again.
    """

    cdef str token
    cdef double weight
    cdef int cls
    cdef bint abjad
    cdef int vid  # vocabulary id, or -1
    cdef int single
    cdef int digit
    cdef unsigned int first
    cdef bint walks  # tokens of one letter find no names
    cdef bint direct  # one similar list token and no joined names: no local maximum needed
    cdef int n_walk  # similar list tokens with at most walk_limit postings, in sims' order
    cdef TidValue* walk  # (tid, gain)
    cdef int n_credit  # over-common similar tokens, as (gain, tid) sorted descending
    cdef TidValue* credit  # (tid, gain)
    cdef list common  # (list token, weight * similarity) of the over-common ones
    cdef tuple joined  # names spelling this token as two of theirs (`NameIndex.joined`)
    cdef int n_sims  # similar list tokens sorted by id, with their similarity
    cdef TidValue* sims  # (tid, similarity)
    cdef TidValue* items  # the one block the three arrays above lie in

    def __dealloc__(self):
        free(self.items)

    def laid_out(self):
        """What the plan holds, as plain values: for the tests that compare two plans."""
        return (
            self.token, self.weight, self.cls, self.abjad, self.vid, self.single, self.digit,
            self.first, self.walks, self.direct,
            [(self.walk[i].tid, self.walk[i].value) for i in range(self.n_walk)],
            [(self.credit[i].tid, self.credit[i].value) for i in range(self.n_credit)],
            self.common, self.joined,
            [(self.sims[i].tid, self.sims[i].value) for i in range(self.n_sims)],
        )


cdef inline int _sim_index(Query query, int i, int ctid) noexcept:
    """Where list token `ctid` lies among query part i's similar tokens (sorted by id), or -1."""
    cdef int lo = query.sim_off[i], hi = query.sim_off[i + 1], mid
    while lo < hi:
        mid = (lo + hi) >> 1
        if query.sim_tid[mid] < ctid:
            lo = mid + 1
        else:
            hi = mid
    if lo < query.sim_off[i + 1] and query.sim_tid[lo] == ctid:
        return lo
    return -1


cdef class Query:
    """One reading of a party name, laid out for `Kernel.score`."""

    cdef int n
    cdef list tokens
    cdef list abjad
    cdef double* weight
    cdef int* cls
    cdef int* tid
    cdef int* single
    cdef int* digit
    cdef unsigned int* first
    cdef int* sim_off
    cdef int* sim_tid
    cdef int* sim_how
    cdef double* sim_val
    cdef void* block  # the one allocation all the arrays above lie in

    def __dealloc__(self):
        free(self.block)

    cdef double similarity(self, int i, int ctid, int c_single, int c_digit,
                           unsigned int c_first, bint person, int* initial) noexcept:
        """`screener._similarity` for query part i and a list token."""
        cdef int lo, hi, mid
        initial[0] = 0
        if self.single[i] or c_single:
            # scorer.token_similarity for one-letter tokens
            if self.tid[i] == ctid:
                return 1.0
            if self.digit[i] or c_digit:
                return 0.0
            initial[0] = 1
            if person and self.first[i] == c_first:
                return INITIAL_SIMILARITY
            return 0.0
        lo = _sim_index(self, i, ctid)
        return self.sim_val[lo] if lo >= 0 else 0.0


cdef list _HOWS = []
"""How a token is similar to another ("exact", "1 edit", "spelling"...), by code: a handful of
strings, coded as they come, the same for every kernel (a plan may outlive its kernel)."""
cdef dict _HOW_CODES = {}


cdef int _how_code(object how) except -1:
    """`how`'s code in `_HOWS`."""
    cdef int c
    for c in range(len(_HOWS)):
        if _HOWS[c] is how:  # mostly the very same few string objects
            return c
    code = _HOW_CODES.get(how)
    if code is None:
        code = len(_HOWS)
        _HOWS.append(how)
        _HOW_CODES[how] = code
    return code


cdef inline int _sim_how(Query query, int i, int ctid) noexcept:
    """How query part i is similar to list token `ctid` (its code in `_HOWS`), or -1
    where `ctid` is not one of its similar tokens."""
    cdef int lo = _sim_index(query, i, ctid)
    return query.sim_how[lo] if lo >= 0 else -1


cdef struct Tally:
    # one list name's running sums during retrieval, with its total weight beside them: a
    # name reached through the postings costs one cache line, not five
    double acc
    double local
    double weight
    char in_acc
    char in_local


# Whether a list name is in the running sums, one bit a name (`Kernel.acc_bits`): 6 KB for the
# full lists, so that picking the names found among the postings of an over-common token
# (thousands of names, few of them found) reads the first-level cache instead of each name's
# `Tally` from memory.
cdef inline bint _bit(const unsigned char* bits, int i) noexcept nogil:
    return (bits[i >> 3] >> (i & 7)) & 1


cdef inline void _set(unsigned char* bits, int i) noexcept nogil:
    bits[i >> 3] |= <unsigned char>(1 << (i & 7))


cdef inline void _clear(unsigned char* bits, int i) noexcept nogil:
    bits[i >> 3] &= <unsigned char>~(1 << (i & 7))


cdef class Kernel:
    """Retrieval and scoring over one `NameIndex`'s arrays (see `NameIndex.kernel`)."""

    cdef object index
    cdef const unsigned int[::1] post
    cdef const unsigned int[::1] off
    cdef const double[::1] idf
    cdef const double[::1] name_weight
    cdef const int[::1] name_entry
    cdef const unsigned int[::1] tok_off
    cdef const int[::1] tok_tid
    cdef const signed char[::1] tok_cls
    cdef const double[::1] tok_weight
    cdef const unsigned char[::1] vocab_single
    cdef const unsigned char[::1] vocab_digit
    cdef const unsigned int[::1] vocab_first
    cdef const signed char[::1] name_kind
    cdef const unsigned char[::1] name_weak
    cdef int person_kind
    cdef double weak_factor
    cdef double class_factor[8]
    cdef unsigned int walk_limit
    cdef int names_per_entry
    cdef int n_names
    cdef Tally* tally
    cdef unsigned char* acc_bits
    cdef int* touched
    cdef int* ltouched
    cdef bint busy
    cdef int budget[MAX_BUDGET_LEN]
    cdef DeleteTable deletes
    cdef DeleteTable compact_keys  # hashes of `NameIndex.compact`'s keys
    cdef DeleteTable pair_keys  # hashes of `NameIndex.pairs`' keys
    cdef dict vocab, joined, compact, pairs
    cdef list tokens
    # what a token no list name spells needs (`weigh_token`, `repair_token`)
    cdef dict skeletons, variants, spelling, phonetic, generic_typos, generic_keys
    cdef dict generic_by_start, generic_by_swap, part_flags
    cdef frozenset legal_forms, stop_tokens, generic_words
    cdef double max_idf, letter_weight, generic_typo_weight
    cdef unsigned int rare_postings
    cdef int max_fuzzy_length
    cdef object stop_class
    cdef dict korean_keys, korean_tokens
    cdef uint64_t* part_bloom  # a Bloom filter of `part_flags`' keys (`_part_hash`)

    def __cinit__(self, index, dict constants):
        global MISSING_FACTOR, EXTRA_FACTOR, CONTRADICTION_FACTOR, MIN_EVIDENCE
        global SINGLE_PART_CAP, INITIAL_SIMILARITY
        self.index = index
        self.post = index.postings.flat
        self.off = index.postings.offsets
        self.idf = index.idf
        self.name_weight = index.name_weight
        self.name_entry = index.name_entry
        self.tok_off = index.name_tokens.offsets
        self.tok_tid = index.name_tokens.tids
        self.tok_cls = index.name_tokens.classes
        self.tok_weight = index.name_tokens.weights
        self.vocab_single = index.vocab_single
        self.vocab_digit = index.vocab_digit
        self.vocab_first = index.vocab_first
        self.name_kind = constants["name_kind"]
        self.name_weak = constants["name_weak"]
        self.person_kind = constants["person_kind"]
        self.weak_factor = constants["weak_factor"]
        if len(self.name_kind) != len(self.name_entry) or len(self.name_weak) != len(
            self.name_entry
        ):
            raise ValueError("name_kind and name_weak need one item per list name")
        for c, f in constants["class_factor"].items():
            self.class_factor[int(c)] = f
        self.walk_limit = constants["walk_limit"]
        self.names_per_entry = constants["names_per_entry"]
        MISSING_FACTOR = constants["missing"]
        EXTRA_FACTOR = constants["extra"]
        CONTRADICTION_FACTOR = constants["contradiction"]
        MIN_EVIDENCE = constants["min_evidence"]
        SINGLE_PART_CAP = constants["single_part_cap"]
        INITIAL_SIMILARITY = constants["initial"]
        self.n_names = len(self.name_weight)
        n = self.n_names + 1
        self.tally = <Tally*>malloc(n * sizeof(Tally))
        self.acc_bits = <unsigned char*>calloc((n >> 3) + 1, 1)
        self.touched = <int*>malloc(n * sizeof(int))
        self.ltouched = <int*>malloc(n * sizeof(int))
        if not (self.tally and self.acc_bits and self.touched and self.ltouched):
            raise MemoryError()
        cdef int i
        for i in range(n):
            self.tally[i].acc = 0.0
            self.tally[i].in_acc = 0
            self.tally[i].local = 0.0
            self.tally[i].in_local = 0
            self.tally[i].weight = self.name_weight[i] if i < self.n_names else 0.0
        self.busy = False
        for i in range(MAX_BUDGET_LEN):
            self.budget[i] = edit_budget(i)
        self.deletes = DeleteTable(index.deletes)
        self.vocab = index.vocab
        self.tokens = index.tokens
        self.joined = index.joined
        self.compact = index.compact
        self.pairs = index.pairs
        # Whether a joined string can be a key, asked before the string is made: most
        # readings' compacted names and pairs of tokens are not keys (a hash found only tells
        # that the dict must be asked)
        self.compact_keys = DeleteTable(dict.fromkeys(self.compact, 0))
        self.pair_keys = DeleteTable(dict.fromkeys(self.pairs, 0))
        self._take_token_tables(index)

    def __dealloc__(self):
        free(self.part_bloom)
        free(self.tally)
        free(self.acc_bits)
        free(self.touched)
        free(self.ltouched)

    # -- retrieval ------------------------------------------------------------------------

    def plan_token(self, q, dict similar):
        """Lay out one weighed query token and its similar list tokens (see `TokenPlan`)."""
        return self._plan(q.token, q.cls, q.weight, bool(q.abjad), similar)

    cdef TokenPlan _plan(self, str token, int cls, double weight, bint abjad, dict similar):
        cdef TokenPlan plan = TokenPlan()
        cdef double factor, sim
        cdef int tid, n = len(similar), s = 0, c = 0, w = 0
        cdef unsigned int a, b
        cdef list common = []
        plan.token = token
        plan.weight = weight
        plan.cls = cls
        plan.abjad = abjad
        plan.vid = self.vocab.get(token, -1)
        plan.single = len(token) == 1
        plan.digit = token.isdigit()
        plan.first = ord(token[0]) if token else 0
        plan.walks = len(token) >= 2
        plan.joined = self.joined.get(token, ()) if plan.walks else ()
        plan.direct = n == 1 and not plan.joined
        # walked ones from the start of the block, credits from the end of its first half
        plan.items = <TidValue*>malloc((2 * n + 1) * sizeof(TidValue))
        if plan.items == NULL:
            raise MemoryError()
        plan.sims = plan.items + n
        factor = self.class_factor[plan.cls]
        for key, val in similar.items():
            tid = key
            sim = val[0]
            plan.sims[s].tid = tid
            plan.sims[s].value = sim
            plan.sims[s].how = _how_code(val[1])
            s += 1
            if not plan.walks:
                continue
            a = self.off[tid]
            b = self.off[tid + 1]
            if b - a > self.walk_limit:
                common.append((self.tokens[tid], weight * sim))
                c += 1
                plan.items[n - c].tid = tid
                plan.items[n - c].value = self.idf[tid] * factor * sim
                continue
            plan.items[w].tid = tid
            plan.items[w].value = self.idf[tid] * factor * sim
            w += 1
        plan.walk = plan.items
        plan.n_walk = w
        plan.credit = plan.items + n - c
        plan.n_credit = c
        # vocabulary ids follow the tokens' sorted order: ties sort as the strings do
        qsort(plan.credit, c, sizeof(TidValue), _cmp_credit)
        qsort(plan.sims, s, sizeof(TidValue), _cmp_tid)
        plan.n_sims = s
        plan.common = common
        return plan

    cdef list _plans(self, list qtokens, list sims):
        return [self.plan_token(qtokens[i], sims[i]) for i in range(len(qtokens))]

    def candidates(self, list qtokens, list sims, int limit, double floor, double min_bound):
        """`NameIndex.candidates`, same arguments (sims required), same result."""
        return self.candidates_from_plans(self._plans(qtokens, sims), limit, floor, min_bound)

    def candidates_from_plans(self, list plans, int limit, double floor, double min_bound):
        """`candidates` for a reading whose tokens are laid out already (`plan_token`)."""
        if self.busy:
            # re-entered (another thread in the middle of a call): the scratch is taken
            return None
        self.busy = True
        try:
            return self._candidates(plans, limit, floor, min_bound)
        finally:
            self.busy = False

    cdef list _candidates(self, list plans, int limit, double floor, double min_bound):
        cdef double total = 0.0, gain, v, m, rest_q, rest_c, u, need, g
        cdef int n_acc = 0, n_local = 0, qi, nid, k, t, x, w, n_plans = len(plans)
        cdef unsigned int a, b, p
        cdef int tid
        cdef object index = self.index
        cdef dict vocab = self.vocab
        cdef list common = []
        cdef TokenPlan plan, x_plan, y_plan
        cdef Scored* scored = NULL
        cdef int n_scored = 0
        cdef bint marked = False
        cdef uint64_t h
        cdef Py_ssize_t length
        for plan in plans:
            total += plan.weight
        if total == 0.0:
            total = 1.0
        try:
            for qi in range(n_plans):
                plan = <TokenPlan>plans[qi]
                if not plan.walks:
                    continue
                if plan.common:
                    common.extend(plan.common)
                if plan.direct:
                    if plan.n_walk:
                        tid = plan.walk[0].tid
                        gain = plan.walk[0].value
                        a = self.off[tid]
                        b = self.off[tid + 1]
                        for p in range(a, b):
                            nid = self.post[p]
                            if not self.tally[nid].in_acc:
                                self.tally[nid].in_acc = 1
                                self.touched[n_acc] = nid
                                n_acc += 1
                            self.tally[nid].acc += gain
                    continue
                n_local = 0
                for w in range(plan.n_walk):
                    tid = plan.walk[w].tid
                    gain = plan.walk[w].value
                    a = self.off[tid]
                    b = self.off[tid + 1]
                    for p in range(a, b):
                        nid = self.post[p]
                        if not self.tally[nid].in_local:
                            self.tally[nid].in_local = 1
                            self.ltouched[n_local] = nid
                            n_local += 1
                            self.tally[nid].local = gain
                        elif self.tally[nid].local < gain:
                            self.tally[nid].local = gain
                gain = plan.weight
                for item in plan.joined:
                    nid = item
                    if not self.tally[nid].in_local:
                        self.tally[nid].in_local = 1
                        self.ltouched[n_local] = nid
                        n_local += 1
                        self.tally[nid].local = gain if gain > 0.0 else 0.0
                    elif self.tally[nid].local < gain:
                        self.tally[nid].local = gain
                for t in range(n_local):
                    nid = self.ltouched[t]
                    if not self.tally[nid].in_acc:
                        self.tally[nid].in_acc = 1
                        self.touched[n_acc] = nid
                        n_acc += 1
                    self.tally[nid].acc += self.tally[nid].local
                    self.tally[nid].local = 0.0
                    self.tally[nid].in_local = 0
            # two query tokens that are one list token split ("jin ping" / "jinping")
            for qi in range(n_plans - 1):
                x_plan = <TokenPlan>plans[qi]
                y_plan = <TokenPlan>plans[qi + 1]
                h = _fnv_end(
                    _fnv_more(_fnv_more(FNV_OFFSET, x_plan.token), y_plan.token),
                    len(x_plan.token) + len(y_plan.token),
                )
                if self.deletes.find(h) < 0:
                    continue  # every list token is a key of the deletion table: not one
                split = vocab.get(x_plan.token + y_plan.token)
                if split is None:
                    continue
                tid = split
                a = self.off[tid]
                b = self.off[tid + 1]
                if b - a > self.walk_limit:
                    continue
                gain = x_plan.weight + y_plan.weight
                for p in range(a, b):
                    nid = self.post[p]
                    if not self.tally[nid].in_acc:
                        self.tally[nid].in_acc = 1
                        self.touched[n_acc] = nid
                        n_acc += 1
                    self.tally[nid].acc += gain
            h = FNV_OFFSET
            length = 0
            for qi in range(n_plans):
                h = _fnv_more(h, (<TokenPlan>plans[qi]).token)
                length += len((<TokenPlan>plans[qi]).token)
            found = ()
            if self.compact_keys.find(_fnv_end(h, length)) >= 0:
                found = self.compact.get("".join([(<TokenPlan>plan).token for plan in plans]), ())
            for item in found:
                nid = item
                if not self.tally[nid].in_acc:
                    self.tally[nid].in_acc = 1
                    self.touched[n_acc] = nid
                    n_acc += 1
                if self.tally[nid].acc < total:
                    self.tally[nid].acc = total
            # over-common tokens credit the names found through rarer ones
            # (each name once per query token, by the first of its spellings it contains: the
            # `in_local` flags, free outside the loop above, mark the names already credited)
            for qi in range(n_plans):
                plan = <TokenPlan>plans[qi]
                if not plan.walks or plan.n_credit == 0:
                    continue
                n_local = 0
                for x in range(plan.n_credit):
                    g = plan.credit[x].value
                    tid = plan.credit[x].tid
                    a = self.off[tid]
                    b = self.off[tid + 1]
                    if b - a <= <unsigned int>(8 * n_acc):
                        # walk the token's postings, picking the names found (`acc_bits`
                        # tells them, marked on first need: no more are found from here on)
                        if not marked:
                            marked = True
                            for t in range(n_acc):
                                _set(self.acc_bits, self.touched[t])
                        for p in range(a, b):
                            nid = self.post[p]
                            if _bit(self.acc_bits, nid) and not self.tally[nid].in_local:
                                self.tally[nid].in_local = 1
                                self.ltouched[n_local] = nid
                                n_local += 1
                                self.tally[nid].acc += g
                    else:
                        # few names found: look each up in the (sorted) postings
                        for t in range(n_acc):
                            nid = self.touched[t]
                            if not self.tally[nid].in_local and _member(self.post, a, b, nid):
                                self.tally[nid].in_local = 1
                                self.ltouched[n_local] = nid
                                n_local += 1
                                self.tally[nid].acc += g
                for t in range(n_local):
                    self.tally[self.ltouched[t]].in_local = 0
            if len(common) > 1:
                best_pair = self._common_pairs(common)
                pairs_map = self.pairs
                for key, g in best_pair.items():
                    for item in pairs_map.get(key, ()):
                        nid = item
                        if not self.tally[nid].in_acc:
                            self.tally[nid].in_acc = 1
                            self.touched[n_acc] = nid
                            n_acc += 1
                        self.tally[nid].acc += g
            need = floor * total
            scored = <Scored*>malloc((n_acc + 1) * sizeof(Scored))
            if scored == NULL:
                raise MemoryError()
            for t in range(n_acc):
                k = self.touched[t]
                v = self.tally[k].acc
                if v < need:
                    continue
                m = v if v < total else total
                rest_q = total - m
                rest_c = self.tally[k].weight - m
                u = m / (m + 0.5 * rest_q + (0.25 * rest_c if rest_c > 0.0 else 0.0))
                if u >= min_bound:
                    scored[n_scored].u = u
                    scored[n_scored].v = v
                    scored[n_scored].k = k
                    n_scored += 1
            qsort(scored, n_scored, sizeof(Scored), _cmp_scored)
            out = []
            seen = {}
            for t in range(min(n_scored, limit * 4)):
                k = scored[t].k
                e = self.name_entry[k]
                c = seen.get(e, 0)
                if c >= self.names_per_entry:
                    continue
                seen[e] = c + 1
                out.append(k)
                if len(out) == limit:
                    break
            return out
        finally:
            free(scored)
            for t in range(n_acc):
                nid = self.touched[t]
                self.tally[nid].acc = 0.0
                self.tally[nid].in_acc = 0
            if marked:
                for t in range(n_acc):
                    _clear(self.acc_bits, self.touched[t])

    cdef dict _common_pairs(self, list common):
        """`NameIndex.best_common_pairs` less the pairs that are no key of `pairs` (they
        credit nothing), each pair's string made only when its hash is one of a key."""
        cdef list ordered = sorted(common)
        cdef dict best_pair = {}
        cdef Py_ssize_t i, j, n = len(ordered)
        cdef uint64_t ha
        cdef str a, b
        cdef double ga, gb
        for i in range(n):
            a, ga = ordered[i]
            ha = _fnv_more(_fnv_more(FNV_OFFSET, a), " ")
            for j in range(i + 1, n):
                b, gb = ordered[j]
                if a == b:
                    continue
                if self.pair_keys.find(_fnv_end(_fnv_more(ha, b), len(a) + 1 + len(b))) < 0:
                    continue
                key = a + " " + b
                if best_pair.get(key, 0.0) < ga + gb:
                    best_pair[key] = ga + gb
        return best_pair

    # -- similar tokens -------------------------------------------------------------------

    def similar_tokens(self, str token, bint abjad):
        """`NameIndex.similar_tokens` without its memo: same keys, values and reasons."""
        return self._similar(token, abjad)

    cdef dict _similar(self, str token, bint abjad, str skey=None):
        """`similar_tokens`; `skey`: the token's spelling key, if known."""
        cdef dict out = {}
        cdef dict vocab = self.vocab
        cdef list tokens = self.tokens
        cdef int n = len(token), longer, budget, d, c, depth
        cdef set cand
        cdef str other
        tid = vocab.get(token)
        if tid is not None:
            out[tid] = (1.0, "exact")
        if n > 2:
            # `index.delete_depth`
            if n < 4 or n > self.max_fuzzy_length or token.isdigit():
                depth = 0
            else:
                depth = 1 if n < 10 else 2
            cand = self._delete_neighbours(token, depth)
            for item in cand:
                # the candidates' strings lie all over the heap: fetch them all first
                __builtin_prefetch(PyList_GET_ITEM(tokens, <Py_ssize_t>item))
            for item in cand:
                c = item
                if c in out:
                    continue
                other = tokens[c]
                longer = len(other) if len(other) > n else n
                budget = self.budget[longer] if longer < MAX_BUDGET_LEN else edit_budget(longer)
                d = _osa(token, other, budget)
                if d <= budget:
                    out[c] = (
                        _similarity_from_distance(d, longer, _same_start(token, other)),
                        _EDITS[d],
                    )
        self._by_sound(token, abjad, out, skey)
        return out

    def similar_by_sound(self, str token, bint abjad, dict out):
        """`NameIndex.similar_by_sound`: add to `out` the list tokens that sound alike."""
        self._by_sound(token, abjad, out, None)

    cdef int _by_sound(self, str token, bint abjad, dict out, str skey) except -1:
        cdef object prev
        if abjad and token.isalpha():
            # waw / vav is a vowel or a consonant: both skeletons (iterated as Python does)
            for skeleton in {consonants(token), consonants(token.replace("w", "v"))}:
                for c in self.skeletons.get(skeleton, ()):
                    prev = out.get(c)
                    if prev is None or (<tuple>prev)[0] < CONSONANT_SIMILARITY:
                        out[c] = _CONSONANTS
        if skey is None:
            skey = self._spelling_key(token)
        for c in self.variants.get(skey, ()):
            prev = out.get(c)
            if prev is None or (<tuple>prev)[0] < VARIANT_SIMILARITY:
                out[c] = _VARIANT
        for c in self.spelling.get(skey, ()):
            prev = out.get(c)
            if prev is None or (<tuple>prev)[0] < SPELLING_SIMILARITY:
                out[c] = _SPELLING
        if not out:
            key = phonetic_key(token)
            if key:
                for c in self.phonetic.get(key, ()):
                    prev = out.get(c)
                    if prev is None or (<tuple>prev)[0] < PHONETIC_SIMILARITY:
                        out[c] = _SOUND
        return 0

    # -- tokens no list name spells ---------------------------------------------------------

    cdef _take_token_tables(self, index):
        """The index's tables and `index` module constants `weigh_token` and `repair_token`
        read, kept as typed fields."""
        self.skeletons = index.skeletons
        self.variants = index.variants
        self.spelling = index.spelling
        self.phonetic = index.phonetic
        self.generic_typos = index.generic_typos
        self.max_idf = index.max_idf
        self.letter_weight = _index.LETTER_WEIGHT
        self.generic_typo_weight = _index.GENERIC_TYPO_WEIGHT
        self.rare_postings = _index.RARE_POSTINGS
        self.max_fuzzy_length = _index.MAX_FUZZY_LENGTH
        self.stop_class = _normalise.TokenClass.STOP
        self.korean_keys, self.korean_tokens = _normalise._korean_family_keys()
        self.legal_forms = frozenset(_normalise.LEGAL_FORMS)
        self.stop_tokens = frozenset(_normalise.STOP_TOKENS)
        self.generic_words = frozenset(_index._GENERIC_WORDS)
        self.generic_keys = dict(_index._GENERIC_KEYS)
        # `_GENERIC_BY_START` and `_GENERIC_BY_SWAP` keyed by integers: no tuple per look-up
        self.generic_by_start = {
            _start_key(ord(a), n): words for (a, n), words in _index._GENERIC_BY_START.items()
        }
        self.generic_by_swap = {
            _swap_key(ord(b), ord(a), n): words
            for (b, a, n), words in _index._GENERIC_BY_SWAP.items()
        }
        # what `_split` asks of a part, in one look-up: list token, generic part, glue word,
        # legal form
        cdef dict flags = dict.fromkeys(index.vocab, PART_LISTED)
        for w in _index._GENERIC_PARTS:
            flags[w] = flags.get(w, 0) | PART_GENERIC
        for w in _index._GLUE_WORDS:
            flags[w] = flags.get(w, 0) | PART_GLUE
        for w in _normalise.LEGAL_FORMS:
            flags[w] = flags.get(w, 0) | PART_LEGAL
        self.part_flags = flags
        cdef uint64_t h, bit
        cdef Py_ssize_t i, n
        cdef int t
        self.part_bloom = <uint64_t*>calloc(PART_BLOOM_BITS // 64, sizeof(uint64_t))
        if self.part_bloom == NULL:
            raise MemoryError()
        for w in flags:
            h = FNV_OFFSET
            n = len(<str>w)
            for i in range(n):
                h ^= <uint64_t>(<str>w)[i]
                h *= FNV_PRIME
            h = _part_hash(h, n)
            for t in range(2):
                bit = (h if t == 0 else h >> 40) & (PART_BLOOM_BITS - 1)
                self.part_bloom[bit >> 6] |= (<uint64_t>1) << (bit & 63)

    def weigh_token(self, str token, object cls, bint abjad):
        """What `NameIndex.weighed` keeps for a token it has not met: the weighed query token
        (`QueryToken` with its weight, then `NameIndex._reweighed`), its similar list tokens
        (`NameIndex.similar_tokens`, memoised there as that does) and its plan
        (`plan_token`), as (token, similar, plan), in one call."""
        cdef dict similar
        cdef object index = self.index
        cdef dict memo
        # a new token's spelling key is asked for twice (sound-alikes, generic words)
        cdef str skey = None
        if len(token) > 1:
            memo = index._memo
            memo_key = "\x01" + token if abjad else token
            similar = memo.get(memo_key)
            if similar is None:
                tid = None if abjad else self.vocab.get(token)
                if tid is not None:
                    similar = index.neighbours[tid]
                else:
                    skey = self._spelling_key(token)
                    similar = self._similar(token, abjad, skey)
                if len(memo) > 200_000:
                    memo.clear()
                memo[memo_key] = similar
        else:
            similar = {}
        q = self._reweighed(token, cls, abjad, similar, skey)
        plan = self._plan(token, q.cls, q.weight, bool(q.abjad), similar)
        return (q, similar, plan)

    cdef object _reweighed(self, str token, object cls, bint abjad, dict similar, str skey):
        """`QueryToken(token, cls, NameIndex.weight(token, cls), abjad)` reweighed as
        `NameIndex._reweighed` does."""
        cdef int c = cls, best = -1, tid
        cdef double idf, sim, best_sim = 0.0, best_idf = 0.0, factor = self.class_factor[c]
        vid = self.vocab.get(token)
        if c == NAME and (
            vid is None or self.off[<int>vid + 1] - self.off[<int>vid] <= self.rare_postings
        ):
            generic = (
                self._generic_word(token, skey) if vid is None else self.generic_typos.get(token)
            )
            if generic is not None:
                return _query_token(token, self.stop_class, self.generic_typo_weight, False)
        if vid is not None or not similar:
            idf = self.idf[<int>vid] if vid is not None else self.max_idf
            if len(token) == 1 and self.letter_weight < idf:
                idf = self.letter_weight
            return _query_token(token, cls, idf * factor, abjad)
        # the closest spelling, the commonest (lowest rarity) of equally close ones, then the
        # lowest id: `max` over (similarity, -rarity, -id)
        for key, val in similar.items():
            tid = key
            sim = (<tuple>val)[0]
            idf = self.idf[tid]
            if best < 0 or sim > best_sim or (
                sim == best_sim and (idf < best_idf or (idf == best_idf and tid < best))
            ):
                best, best_sim, best_idf = tid, sim, idf
        return _query_token(token, cls, self.idf[best] * factor, abjad)

    def spelling_key(self, str token):
        """`normalise.spelling_key` (not memoised)."""
        return self._spelling_key(token)

    cdef str _spelling_key(self, str token):
        whole = self.korean_tokens.get(token)
        if whole is not None:
            return whole
        if len(token) > MAX_KEY_LEN or N_RULES < 0:
            return spelling_key(token)
        key = token
        if "eo" in token or "eu" in token:
            key = _normalise.korean_fold(token)
            if len(key) > MAX_KEY_LEN:
                return spelling_key(token)
        key = _generic_key(key)
        return self.korean_keys.get(key, key)

    def generic_word(self, str token):
        """`index.generic_word` (not memoised)."""
        return self._generic_word(token, None)

    cdef object _generic_word(self, str token, str skey):
        """`generic_word`; `skey`: the token's spelling key, if known."""
        cdef Py_ssize_t n = len(token)
        cdef int length
        cdef Py_UCS4 a, b
        cdef str found = None, w
        if n >= 2 and token not in self.legal_forms and token not in self.stop_tokens:
            if skey is None:
                skey = self._spelling_key(token)
            same = self.generic_keys.get(skey)
            if same is not None:
                return same
        if n < 4 or n > self.max_fuzzy_length or token in self.generic_words:
            return None
        a = token[0]
        b = token[1]
        for length in range(n - 1, n + 2):
            for near in (
                self.generic_by_start.get(_start_key(a, length)),
                self.generic_by_swap.get(_swap_key(a, b, length)),
            ):
                if near is None:
                    continue
                for w in <tuple>near:
                    if (found is None or w < found) and _within_one_edit(token, w):
                        found = w
        return found

    def repair_token(self, str token):
        """`NameIndex._repair_token`: the two parts of a glued token, the generic word it
        misspells, or None."""
        cdef Py_ssize_t n = len(token)
        parts = self._split(token) if 5 <= n <= self.max_fuzzy_length else None
        generic = self._generic_word(token, None)
        if parts is not None and (
            generic is None or (len((<tuple>parts)[0]) > 2 and len((<tuple>parts)[1]) > 2)
        ):
            return parts
        if generic is not None:
            return (generic,)
        return None

    def split(self, str token):
        """`NameIndex._split`."""
        return self._split(token)

    cdef object _split(self, str token):
        cdef Py_ssize_t n = len(token), i, k, nl, nr, shorter, longer
        cdef int lf, rf, n_generic, best_generic = -1, best_shorter = -1
        cdef bint anchored, generic
        cdef dict flags = self.part_flags
        cdef str left, right, best_left = None, best_right = None
        cdef uint64_t h
        cdef uint64_t prefix[MAX_SPLIT_LEN + 1]
        cdef Py_UCS4 chars[MAX_SPLIT_LEN]
        cdef int kind = PyUnicode_KIND(token)
        cdef void* data = PyUnicode_DATA(token)
        # each part is looked up only where the Bloom filter may hold it: most cuts have
        # no list token on the left, and need no string made (`repair_token` never splits
        # tokens too long for the arrays; `split` looks their parts up unfiltered)
        cdef bint filtered = n <= MAX_SPLIT_LEN
        prefix[0] = FNV_OFFSET
        if filtered:
            for i in range(n):
                chars[i] = PyUnicode_READ(kind, data, i)
                prefix[i + 1] = (prefix[i] ^ <uint64_t>chars[i]) * FNV_PRIME
        for i in range(2, n - 1):
            if filtered and not _maybe_part(self.part_bloom, _part_hash(prefix[i], i)):
                continue
            left = token[:i]
            found = flags.get(left)
            if found is None:
                continue
            if filtered:
                h = FNV_OFFSET
                for k in range(i, n):
                    h = (h ^ <uint64_t>chars[k]) * FNV_PRIME
                if not _maybe_part(self.part_bloom, _part_hash(h, n - i)):
                    continue
            right = token[i:]
            found_r = flags.get(right)
            if found_r is None:
                continue
            lf = found
            rf = found_r
            nl = i
            nr = n - i
            anchored = (
                (nl >= 4 and not lf & PART_GENERIC)
                or (nr >= 4 and not rf & PART_GENERIC)
                or (nl >= 3 and lf & PART_GLUE and nr >= 2 and rf & PART_LISTED)
                or (nr >= 3 and rf & PART_GLUE and nl >= 2 and lf & PART_LISTED)
            )
            n_generic = (lf & PART_GENERIC != 0) + (rf & PART_GENERIC != 0)
            longer = nl if nl > nr else nr
            shorter = nl if nl < nr else nr
            generic = (
                n_generic == 2
                and longer >= 4
                and (lf & PART_LEGAL or rf & PART_LEGAL or shorter >= 4)
            )
            if anchored or generic:
                # rank (glued generic word, shorter part), the first of equal ranks kept
                if (n_generic > 0) > best_generic or (
                    (n_generic > 0) == best_generic and shorter > best_shorter
                ):
                    best_generic = n_generic > 0
                    best_shorter = shorter
                    best_left = left
                    best_right = right
        return None if best_left is None else (best_left, best_right)

    cdef set _delete_neighbours(self, str token, int depth):
        """Vocabulary ids sharing a deletion variant (up to `depth` deletions) with `token`:
        what `deletes(token, depth)` looked up in `NameIndex.deletes` gives."""
        cdef Py_ssize_t n = len(token), i, j
        cdef uint64_t seen[SEEN_SLOTS]
        cdef uint64_t mask = 15
        cdef set out = set()
        if n > MAX_DELETE_LEN:
            depth = 0  # delete_depth never asks for more (MAX_FUZZY_LENGTH)
        # a table of at least twice as many slots as variants, cleared only as far as used
        cdef Py_ssize_t variants = 1 + (n if depth >= 1 else 0) + (
            n * (n - 1) // 2 if depth >= 2 else 0
        )
        while mask + 1 < 2 * variants:
            mask = mask * 2 + 1
        if mask + 1 > SEEN_SLOTS:
            raise ValueError(f"token too long for deletion variants: {len(token)} characters")
        for i in range(mask + 1):
            seen[i] = 0
        # Every variant's slot is fetched before any is read: the table is far larger than
        # the caches, and one miss after another would cost the sum of their latencies.
        cdef uint64_t uniq[SEEN_SLOTS]
        cdef int n_uniq = 0, t, slot, v, k, c
        # `_hash_without` of each variant, from the FNV states of the token's prefixes: the
        # letters are read once, and a variant hashes only what follows its first deletion
        cdef Py_UCS4 chars[MAX_DELETE_LEN]
        cdef uint64_t prefix[MAX_DELETE_LEN + 1]
        cdef uint64_t h
        cdef int kind = PyUnicode_KIND(token)
        cdef void* data = PyUnicode_DATA(token)
        if n > MAX_DELETE_LEN:
            n_uniq = _add_unique(_hash_without(token, -1, -1), seen, mask, uniq, n_uniq)
        else:
            prefix[0] = FNV_OFFSET
            for i in range(n):
                chars[i] = PyUnicode_READ(kind, data, i)
                prefix[i + 1] = (prefix[i] ^ <uint64_t>chars[i]) * FNV_PRIME
            n_uniq = _add_unique(_fnv_end(prefix[n], n), seen, mask, uniq, n_uniq)
        if depth >= 1:
            for i in range(n):
                h = _fnv_over(prefix[i], chars, i + 1, n)
                n_uniq = _add_unique(_fnv_end(h, n - 1), seen, mask, uniq, n_uniq)
        if depth >= 2:
            for i in range(n):
                h = prefix[i]  # the letters between the two deletions, so far
                for j in range(i + 1, n):
                    n_uniq = _add_unique(
                        _fnv_end(_fnv_over(h, chars, j + 1, n), n - 2),
                        seen, mask, uniq, n_uniq,
                    )
                    h = (h ^ <uint64_t>chars[j]) * FNV_PRIME
        for t in range(n_uniq):
            __builtin_prefetch(&self.deletes.slots[uniq[t] & self.deletes.mask])
        for t in range(n_uniq):
            slot = self.deletes.find(uniq[t])
            if slot < 0:
                continue
            v = self.deletes.slots[slot].value
            if v >= 0:
                out.add(v)
            else:
                k = -v - 1
                for c in range(self.deletes.multi[k]):
                    out.add(self.deletes.multi[k + 1 + c])
        return out

    # -- scoring --------------------------------------------------------------------------

    def prepare(self, list qtokens, list sims):
        """Lay out one reading (its weighed tokens and their similar list tokens) for `score`."""
        return self.prepare_from_plans(self._plans(qtokens, sims))

    def prepare_from_plans(self, list plans):
        """`prepare` for a reading whose tokens are laid out already (`plan_token`)."""
        cdef Query out = Query()
        cdef TokenPlan plan
        cdef int n = len(plans), i, s, t, total_sims = 0
        for plan in plans:
            total_sims += plan.n_sims
        out.n = n
        out.tokens = [plan.token for plan in plans]
        out.abjad = [plan.abjad for plan in plans]
        # one block: the doubles first, then the 4-byte integers
        out.block = malloc((n + 1 + total_sims + 1) * sizeof(double)
                           + (5 * (n + 1) + n + 2 + 2 * (total_sims + 1)) * sizeof(int))
        if out.block == NULL:
            raise MemoryError()
        out.weight = <double*>out.block
        out.sim_val = out.weight + n + 1
        out.cls = <int*>(out.sim_val + total_sims + 1)
        out.tid = out.cls + n + 1
        out.single = out.tid + n + 1
        out.digit = out.single + n + 1
        out.first = <unsigned int*>(out.digit + n + 1)
        out.sim_off = <int*>(out.first + n + 1)
        out.sim_tid = out.sim_off + n + 2
        out.sim_how = out.sim_tid + total_sims + 1
        s = 0
        for i in range(n):
            plan = <TokenPlan>plans[i]
            out.weight[i] = plan.weight
            out.cls[i] = plan.cls
            out.tid[i] = plan.vid
            out.single[i] = plan.single
            out.digit[i] = plan.digit
            out.first[i] = plan.first
            out.sim_off[i] = s
            for t in range(plan.n_sims):
                out.sim_tid[s] = plan.sims[t].tid
                out.sim_val[s] = plan.sims[t].value
                out.sim_how[s] = plan.sims[t].how
                s += 1
        out.sim_off[n] = s
        return out

    def score(self, Query query, int nid, bint person):
        """`score_name(query, listed name nid)` as (score, capped), or None where the Python
        scorer must decide (a token outside the index, names of over 64 parts)."""
        cdef bint capped = False
        cdef int notes = 0
        cdef char used_q[64]
        cdef char used_c[64]
        cdef double score = self._score(query, nid, person, &capped, &notes, used_q, used_c, NULL)
        if score < 0.0:
            return None
        return (score, capped)

    def score_candidates(self, Query query, list nids, unsigned int allowed,
                         bint person_query, dict best, object reading):
        """The screener's per-candidate loop in one call: each list name of `nids`, in order,
        whose entry kind is in `allowed` (a bit mask of kind codes, see `kernel.kind_mask`)
        is scored as `score` does (as a person where `person_query` or the entry is one),
        weighed down by the weak-alias factor, and kept in `best` (entry -> (score, capped,
        nid, reading)) where it beats the entry's score so far (`>`: on equal scores the
        first one stays). Returns the highest score among the allowed names (0.0 if none),
        or None, with `best` untouched, where a name is left to the Python scorer (see
        `score`)."""
        cdef int n = len(nids), t, nid, notes
        cdef double raw, s, top = 0.0
        cdef bint capped
        cdef char used_q[64]
        cdef char used_c[64]
        cdef double* scores
        cdef char* flags  # 0: kind not allowed; 1: scored; 2: scored and capped
        cdef object prev
        if n == 0:
            return 0.0
        scores = <double*>malloc(n * sizeof(double))
        flags = <char*>malloc(n)
        if scores == NULL or flags == NULL:
            free(scores)
            free(flags)
            raise MemoryError()
        try:
            # every name is scored before `best` is touched: a name left to Python leaves
            # the whole call to the caller's loop
            for t in range(n):
                nid = nids[t]
                if nid < 0 or nid >= self.n_names:
                    raise IndexError(f"list name id {nid} out of range")
                if not (allowed >> self.name_kind[nid]) & 1:
                    flags[t] = 0
                    continue
                capped = False
                notes = 0
                raw = self._score(
                    query, nid, person_query or self.name_kind[nid] == self.person_kind,
                    &capped, &notes, used_q, used_c, NULL,
                )
                if raw < 0.0:
                    return None
                scores[t] = raw * self.weak_factor if self.name_weak[nid] else raw
                flags[t] = 2 if capped else 1
            for t in range(n):
                if flags[t] == 0:
                    continue
                s = scores[t]
                if s > top:
                    top = s
                nid = nids[t]
                key = self.name_entry[nid]
                prev = best.get(key)
                if prev is None or s > <double>(<tuple>prev)[0]:
                    best[key] = (s, flags[t] == 2, nid, reading)
            return top
        finally:
            free(scores)
            free(flags)

    def explain(self, Query query, int nid, bint person):
        """What `score` worked out, laid bare for `NameScore`: (score, notes, alignment,
        unmatched party parts, unmatched list parts), or None as for `score`. The alignment
        lists, in order, (0, i, j) for party part i matched to list part j, (1, x, y, k, sim)
        for party parts x and y joined to list part k, (2, x, y, k, sim) for list parts x and y
        split in the party's part k."""
        cdef bint capped = False
        cdef int notes = 0, i, j
        cdef char used_q[64]
        cdef char used_c[64]
        cdef Trace trace
        cdef Step* step
        trace.n = 0
        cdef double score = self._score(query, nid, person, &capped, &notes, used_q, used_c, &trace)
        if score < 0.0:
            return None
        steps = []
        for i in range(trace.n):
            step = &trace.steps[i]
            if step.kind == 0:
                steps.append((0, step.x, step.y))
            else:
                steps.append((step.kind, step.x, step.y, step.k, step.sim))
        nc = <int>(self.tok_off[nid + 1] - self.tok_off[nid])
        names = []
        if notes & NOTE_LITTLE:
            names.append("little evidence")
        if notes & NOTE_GENERIC:
            names.append("generic words only")
        if notes & NOTE_ONE_PART:
            names.append("one name part only")
        if query.n == 0 or nc == 0:
            return (score, names, steps, [], [])
        return (
            score,
            names,
            steps,
            [i for i in range(query.n) if not used_q[i]],
            [j for j in range(nc) if not used_c[j]],
        )

    def explanation(self, Query query, int nid, bint person):
        """The score and explanation of list name `nid` for a reading, as the pure-Python path
        writes them (`score_name(...).explain()`, with "weak alias" for a weak alias the
        list name matches at all), or None as for `score`.

        Why here: a reported match is explained from the alignment `score` works out, and
        writing the string in Python (the steps as tuples, a similarity callback per matched
        part, f-strings) cost more than the scoring. How a matched part met its list part is
        what its similar tokens say (`screener._similarity`), kept with the plan
        (`plan_token`); one-letter parts met exactly or as an initial
        (`scorer.token_similarity`).
        """
        cdef bint capped = False
        cdef int notes = 0, i, j, t, ctid, code
        cdef char used_q[64]
        cdef char used_c[64]
        cdef Trace trace
        cdef Step* step
        cdef unsigned int a = self.tok_off[nid]
        cdef int nc = <int>(self.tok_off[nid + 1] - a)
        cdef list q_tokens = query.tokens, tokens = self.tokens, parts = []
        cdef list missing, extra, said
        cdef str how, x, y, c
        trace.n = 0
        cdef double score = self._score(query, nid, person, &capped, &notes, used_q, used_c, &trace)
        if score < 0.0:
            return None
        for t in range(trace.n):
            step = &trace.steps[t]
            if step.kind == 0:
                i = step.x
                ctid = self.tok_tid[a + step.y]
                if query.single[i] or self.vocab_single[ctid]:
                    # kept by `Query.similarity` only when spelt alike or as a person's initial
                    how = "exact" if query.tid[i] == ctid else "initial"
                else:
                    code = _sim_how(query, i, ctid)
                    if code < 0 or code >= len(_HOWS):
                        raise ValueError(f"no similarity kept for list token {ctid}")
                    how = _HOWS[code]
                x = q_tokens[i]
                c = tokens[ctid]
                parts.append(f"{x}={c} ({how})")
            elif step.kind == 1:
                x = q_tokens[step.x]
                y = q_tokens[step.y]
                c = tokens[self.tok_tid[a + step.k]]
                parts.append(f"{x} {y}={c} (joined)")
            else:
                c = q_tokens[step.k]
                x = tokens[self.tok_tid[a + step.x]]
                y = tokens[self.tok_tid[a + step.y]]
                parts.append(f"{c}={x} {y} (split)")
        missing = []
        extra = []
        if query.n and nc:  # parts left over on either side
            extra = [q_tokens[i] for i in range(query.n) if not used_q[i]]
            missing = [tokens[self.tok_tid[a + j]] for j in range(nc) if not used_c[j]]
        said = []
        if notes & NOTE_LITTLE:
            said.append("little evidence")
        if notes & NOTE_GENERIC:
            said.append("generic words only")
        if notes & NOTE_ONE_PART:
            said.append("one name part only")
        if self.name_weak[nid] and score > 0.0:
            said.append("weak alias")
        # the one writer of the leftovers and notes, shared with the pure-Python path
        return (score, _explanation(parts, missing, extra, said))

    cdef double _score(self, Query query, int nid, bint person, bint* capped_out, int* notes,
                       char* used_q, char* used_c, Trace* trace) except? -2.0:
        """The scorer's arithmetic for one list name; -1 where Python must decide."""
        cdef unsigned int a = self.tok_off[nid], b = self.tok_off[nid + 1]
        cdef int nq = query.n, nc = <int>(b - a), i, j, t, n_pairs = 0, initial, ctid
        cdef int strong = 0, name_parts = 0, n_matched = 0
        cdef double sim, w, matched_w = 0.0, aligned_w = 0.0, q_un_w, c_un_w, denom, score
        cdef bint contradicted, extra_words, whole, one_part, capped = False, all_exact = True
        cdef bint has_q_left = False, has_c_left = False
        cdef Pair* pairs
        if nq == 0 or nc == 0:
            return 0.0
        if nq > 64 or nc > 64:
            return -1.0
        for j in range(nc):
            if self.tok_tid[a + j] < 0:
                return -1.0
        pairs = <Pair*>malloc(nq * nc * sizeof(Pair))
        if pairs == NULL:
            raise MemoryError()
        try:
            for i in range(nq):
                for j in range(nc):
                    ctid = self.tok_tid[a + j]
                    sim = query.similarity(i, ctid, self.vocab_single[ctid],
                                           self.vocab_digit[ctid], self.vocab_first[ctid],
                                           person, &initial)
                    if sim > 0.0:
                        pairs[n_pairs].sim = sim
                        pairs[n_pairs].wsum = self.tok_weight[a + j] + query.weight[i]
                        pairs[n_pairs].dist = i - j if i > j else j - i
                        pairs[n_pairs].i = i
                        pairs[n_pairs].j = j
                        pairs[n_pairs].initial = initial
                        n_pairs += 1
            qsort(pairs, n_pairs, sizeof(Pair), _cmp_pair)
            for i in range(nq):
                used_q[i] = 0
            for j in range(nc):
                used_c[j] = 0
            for t in range(n_pairs):
                i = pairs[t].i
                j = pairs[t].j
                if used_q[i] or used_c[j]:
                    continue
                used_q[i] = 1
                used_c[j] = 1
                w = self.tok_weight[a + j]
                if pairs[t].initial and query.weight[i] < w:
                    w = query.weight[i]
                matched_w += pairs[t].sim * w
                aligned_w += w
                n_matched += 1
                if pairs[t].sim != 1.0:
                    all_exact = False
                if trace != NULL:
                    trace.steps[trace.n].kind = 0
                    trace.steps[trace.n].x = i
                    trace.steps[trace.n].y = j
                    trace.n += 1
                if not pairs[t].initial and not self._particle_token(a, nc, self.tok_tid[a + j]):
                    strong += 1
        finally:
            free(pairs)
        for i in range(nq):
            if not used_q[i]:
                has_q_left = True
        for j in range(nc):
            if not used_c[j]:
                has_c_left = True
        if has_q_left and has_c_left:
            # split or joined parts among the leftovers ("jin ping" / "jinping")
            realigned = self._realign(query, a, nc, used_q, used_c, &matched_w, &aligned_w,
                                      &strong, trace)
            if realigned:
                all_exact = False
                has_q_left = False
                has_c_left = False
                for i in range(nq):
                    if not used_q[i]:
                        has_q_left = True
                for j in range(nc):
                    if not used_c[j]:
                        has_c_left = True
                n_matched += realigned
        q_un_w = 0.0
        c_un_w = 0.0
        extra_words = False
        for i in range(nq):
            if not used_q[i]:
                if query.cls[i] != PARTICLE or n_matched == 0:
                    q_un_w += query.weight[i]
                if query.cls[i] == NAME:
                    extra_words = True
        for j in range(nc):
            if self.tok_cls[a + j] == NAME:
                name_parts += 1
            if not used_c[j]:
                if self.tok_cls[a + j] != PARTICLE or n_matched == 0:
                    c_un_w += self.tok_weight[a + j]
        contradicted = q_un_w > 0.0 and c_un_w > 0.0 and extra_words
        if contradicted:
            denom = aligned_w + CONTRADICTION_FACTOR * (q_un_w + c_un_w)
        else:
            denom = aligned_w + EXTRA_FACTOR * q_un_w + MISSING_FACTOR * c_un_w
        if denom <= 0.0:
            return 0.0
        score = matched_w / denom
        if matched_w < MIN_EVIDENCE:
            score *= pow(matched_w / MIN_EVIDENCE, 0.5)
            notes[0] |= NOTE_LITTLE
        if score > SINGLE_PART_CAP and name_parts == 0:
            score = SINGLE_PART_CAP
            capped = True
            notes[0] |= NOTE_GENERIC
        whole = not has_q_left and not has_c_left and all_exact
        one_part = strong < 2 and not whole and (
            (person and name_parts >= 2) or (nq >= 2 and nc >= 2) or (extra_words and not person)
        )
        if one_part and score > SINGLE_PART_CAP:
            score = SINGLE_PART_CAP
            capped = True
            notes[0] |= NOTE_ONE_PART
        capped_out[0] = capped
        return score if score < 1.0 else 1.0

    cdef int _realign(self, Query query, unsigned int a, int nc, char* used_q, char* used_c,
                      double* matched_w, double* aligned_w, int* strong, Trace* trace) except -1:
        """score_name's re-alignment of split or joined parts among the leftovers, in its
        order and arithmetic; returns how many parts it re-aligned."""
        # the leftovers in order; only two of one side standing side by side can be one part
        # of the other name: most names have none, and need no Python objects here
        cdef int left_q[64]
        cdef int left_c[64]
        cdef int n_lq = 0, n_lc = 0, n_la, n_lb, u, i, j
        cdef int* la
        cdef int* lb
        cdef bint neighbours = False
        cdef double sim, w
        cdef int x, y, k, d, budget, side, t, longer, n = 0
        cdef bint abjad
        cdef str joined, tok
        cdef list q_tokens = query.tokens, tokens = self.tokens
        for i in range(query.n):
            if not used_q[i]:
                neighbours = neighbours or (n_lq > 0 and left_q[n_lq - 1] == i - 1)
                left_q[n_lq] = i
                n_lq += 1
        for j in range(nc):
            if not used_c[j]:
                neighbours = neighbours or (n_lc > 0 and left_c[n_lc - 1] == j - 1)
                left_c[n_lc] = j
                n_lc += 1
        if not neighbours:
            return 0
        for side in range(2):
            if side == 0:
                la, n_la, lb, n_lb = left_q, n_lq, left_c, n_lc
            else:
                la, n_la, lb, n_lb = left_c, n_lc, left_q, n_lq
            for t in range(n_la - 1):
                x = la[t]
                y = la[t + 1]
                if y != x + 1:
                    continue
                if side == 0:
                    joined = q_tokens[x] + q_tokens[y]
                else:
                    joined = tokens[self.tok_tid[a + x]] + tokens[self.tok_tid[a + y]]
                for u in range(n_lb):
                    k = lb[u]
                    if (side == 0 and used_c[k]) or (side == 1 and used_q[k]):
                        continue
                    tok = tokens[self.tok_tid[a + k]] if side == 0 else q_tokens[k]
                    # list parts are never read from Arabic or Hebrew script
                    abjad = query.abjad[x] if side == 0 else query.abjad[k]
                    longer = max(len(tok), len(joined))
                    budget = (
                        self.budget[longer] if longer < MAX_BUDGET_LEN else edit_budget(longer)
                    ) // 2
                    d = _osa(joined, tok, budget)
                    if d > budget and abjad:
                        if len(tok) > 2 and consonants(joined) == consonants(tok):
                            d = 1
                    if d <= budget or (d == 1 and abjad):
                        sim = 0.95 - 0.05 * d
                        if side == 0:
                            w = self.tok_weight[a + k]
                            used_q[x] = 1
                            used_q[y] = 1
                            used_c[k] = 1
                            if not self._particle_token(a, nc, self.tok_tid[a + k]):
                                strong[0] += 2
                        else:
                            w = self.tok_weight[a + x] + self.tok_weight[a + y]
                            used_c[x] = 1
                            used_c[y] = 1
                            used_q[k] = 1
                            strong[0] += 2
                        matched_w[0] += sim * w
                        aligned_w[0] += w
                        n += 1
                        if trace != NULL:
                            trace.steps[trace.n].kind = 1 + side
                            trace.steps[trace.n].x = x
                            trace.steps[trace.n].y = y
                            trace.steps[trace.n].k = k
                            trace.steps[trace.n].sim = sim
                            trace.n += 1
                        break
        return n

    cdef bint _particle_token(self, unsigned int a, int nc, int tid) noexcept:
        """Whether the list name has a particle spelt as token `tid` (score_name's `particles`)."""
        cdef int j
        for j in range(nc):
            if self.tok_cls[a + j] == PARTICLE and self.tok_tid[a + j] == tid:
                return True
        return False
