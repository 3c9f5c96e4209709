"""threading -- gilscope's threading module, written on _thread as CPython's is.

The parts the lectures use: Thread (with target= or a subclass's run()),
Lock, RLock, Event, current_thread, get_ident, active_count, excepthook.  Locks and
events are implemented in C (vm/runtime/threadmodule.c) and release the GIL while they
wait, as CPython's do.
"""
import _thread

Lock = _thread.Lock
RLock = _thread.RLock
Event = _thread.Event
get_ident = _thread.get_ident

_active = {}          # ident -> Thread, for the threads running now
_counter = [0]


def _new_name():
    _counter[0] += 1
    return "Thread-%d" % _counter[0]


class Thread:
    def __init__(self, group=None, target=None, name=None, args=(), kwargs=None, *,
                 daemon=None):
        self._target = target
        self._args = args
        self._kwargs = {} if kwargs is None else kwargs
        # As CPython 3.9: a false name (None, "", 0) gets a new "Thread-N".
        self.name = str(name or _new_name())
        self.daemon = current_thread().daemon if daemon is None else daemon
        self.ident = None
        self._handle = None
        self._started = False
        self._is_stopped = False

    def start(self):
        if self._started:
            raise RuntimeError("threads can only be started once")
        self._started = True
        # As in CPython, the new thread registers itself, and start() waits
        # until it has: a thread that ends at once is never left behind in
        # _active, and self.ident is set when start() returns.
        self._registered = Event()
        self._handle = _thread.start(self._bootstrap, (), None, self.name)
        self._registered.wait()

    def _bootstrap(self):
        self.ident = get_ident()
        _active[self.ident] = self
        self._registered.set()
        try:
            try:
                self.run()
            except BaseException:
                # As CPython's _bootstrap_inner: an exception run() lets
                # out goes to threading.excepthook, and the program goes on.
                _invoke_excepthook(self)
        finally:
            _active.pop(self.ident, None)

    def run(self):
        if self._target is not None:
            self._target(*self._args, **self._kwargs)

    def join(self, timeout=None):
        if not self._started:
            raise RuntimeError("cannot join thread before it is started")
        if self is current_thread():
            raise RuntimeError("cannot join current thread")
        # As CPython's: a negative timeout means 0; once the thread is seen
        # to have ended, nothing more is looked at; before, the handle checks
        # the rest as Lock.acquire does (NaN, inf, too large).
        if timeout is not None:
            timeout = max(timeout, 0)
        if self._is_stopped:
            return
        if self._handle.join(timeout):
            self._is_stopped = True

    def is_alive(self):
        if self._handle is None or self._is_stopped:
            return False
        if not self._handle.is_alive():
            self._is_stopped = True
        return not self._is_stopped

    def getName(self):
        return self.name

    def setName(self, name):
        self.name = str(name)

    def isDaemon(self):
        return self.daemon

    def setDaemon(self, daemonic):
        self.daemon = daemonic

    def __repr__(self):
        status = "initial"
        if self._started:
            status = "started" if self.is_alive() else "stopped"
        if self.daemon:
            status += " daemon"
        if self.ident is not None:
            status += " %s" % self.ident
        return "<%s(%s, %s)>" % (type(self).__name__, self.name, status)


class ExceptHookArgs:
    """What excepthook gets: CPython's _thread._ExceptHookArgs, a struct
    sequence (so it also unpacks into its four fields).  gilscope has no
    traceback objects: exc_traceback is None."""

    def __init__(self, fields):
        fields = tuple(fields)
        if len(fields) != 4:
            raise TypeError("_thread.ExceptHookArgs() takes a 4-sequence "
                            "(%d-sequence given)" % len(fields))
        self.exc_type, self.exc_value, self.exc_traceback, self.thread = fields

    def __len__(self):
        return 4

    def __getitem__(self, i):
        return (self.exc_type, self.exc_value, self.exc_traceback, self.thread)[i]


def excepthook(args):
    """Handle an uncaught Thread.run() exception, as CPython 3.9's does:
    "Exception in thread NAME:" and the traceback on sys.stderr, nothing
    for SystemExit.  A program may replace it (threading.excepthook = f)."""
    import sys
    if args.exc_type == SystemExit:
        return
    if sys.stderr is None:
        return
    name = args.thread.name if args.thread is not None else get_ident()
    print("Exception in thread %s:" % name, file=sys.stderr, flush=True)
    _thread._print_exception(args.exc_value)


_default_excepthook = excepthook


def _invoke_excepthook(thread):
    # The hook is looked up now: the program may have set its own.  If the
    # hook itself fails, CPython says so and prints that exception.
    import sys
    exc_type, exc_value, exc_tb = sys.exc_info()
    hook = excepthook
    if hook is None:
        hook = _default_excepthook
    try:
        hook(ExceptHookArgs([exc_type, exc_value, exc_tb, thread]))
    except Exception as exc:
        exc.__suppress_context__ = True
        if sys.stderr is not None:
            print("Exception in threading.excepthook:", file=sys.stderr, flush=True)
            _thread._print_exception(exc)


class _MainThread(Thread):
    def __init__(self):
        Thread.__init__(self, name="MainThread", daemon=False)
        self._started = True
        self.ident = get_ident()

    def is_alive(self):
        return True


class _DummyThread(Thread):
    def __init__(self):
        Thread.__init__(self, name="Dummy-%d" % get_ident(), daemon=True)
        self._started = True
        self.ident = get_ident()

    def is_alive(self):
        return True


_main_thread = _MainThread()
_active[_main_thread.ident] = _main_thread


def current_thread():
    t = _active.get(get_ident())
    if t is None:
        t = _DummyThread()
    return t


currentThread = current_thread


def main_thread():
    return _main_thread


def active_count():
    return len(_active)


activeCount = active_count


def enumerate():
    return list(_active.values())


def _shutdown():
    # The program ends when every non-daemon thread has ended -- including
    # threads that other threads start meanwhile: join until none is left.
    while True:
        others = [t for t in list(_active.values())
                  if t is not _main_thread and not t.daemon]
        if not others:
            return
        for t in others:
            t.join()
