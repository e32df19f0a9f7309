"""The Dashboard page: the business's figures on today's date, the Pareto chart of its largest payers, and
a warning when too much of the revenue hangs on a few clients.

The figures are worked out on the operations' worker thread (`MetricsService.dashboard`), never on the UI
thread; the page says so while they are on their way."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QStackedBarSeries,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QPainter, QPen, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clientdesk.domain.lifecycle import Stage
from clientdesk.gui.operations import Operations
from clientdesk.gui.style import ERROR_COLOR, HINT_STYLE
from clientdesk.services.changes import Changes
from clientdesk.services.workspace import Workspace

TOP_CLIENTS = 20
WORKING = "Working out the figures…"
NO_PURCHASES = ("No purchases yet. Record them on a client's Purchases tab (Add purchase…, Ctrl+Shift+P), or "
                "import a CSV of sales with File → Import purchases…; the figures appear here.")
NO_RECENT_PURCHASES = "No purchases in the last 12 months: the chart shows the last year's payers."
BANNER_STYLE = (f"QLabel {{ background: #f6d5d3; color: {ERROR_COLOR}; border: 1px solid {ERROR_COLOR};"
                " border-radius: 4px; padding: 6px 10px; font-weight: bold; }")
TILES = (("revenue", "Revenue, last 12 months"), ("top20", "Top fifth's share"), ("retention", "Retention rate"),
         ("repeat", "Repeat rate"), ("conversion", "Conversion rate"), ("ltv", "Median lifetime value"))
TRENDS_WORKING = "Working out the last 12 months…"
# The funnel over time: every stage in the table; the chart leaves out prospects, who would dwarf the rest.
FUNNEL_STAGES = (Stage.PROSPECT, Stage.CUSTOMER, Stage.CLIENT, Stage.LAPSED, Stage.FORMER)
FUNNEL_HEADERS = ("Prospects", "Customers", "Clients", "Lapsed", "Former")
CHARTED_STAGES = (Stage.CUSTOMER, Stage.CLIENT, Stage.LAPSED)
STAGE_COLORS = {Stage.CUSTOMER: "#8fb3e3", Stage.CLIENT: "#3f6fb5", Stage.LAPSED: "#d9822b"}
NEW_COLOR = "#8fb3e3"
BAR_COLOR = "#3f6fb5"
LINE_COLOR = "#d9822b"
MARK_COLOR = "#7a7a7a"


def percent(share: Decimal | None, places: int = 0) -> str:
    return "—" if share is None else f"{share * 100:.{places}f} %"


def money(amount: Decimal | None, currency: str) -> str:
    return "—" if amount is None else f"{currency} {amount:,.2f}"


def _names(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def banner_text(dashboard) -> str:
    """"Concentration risk: Ana Silva brings 42 % of the last 12 months' revenue; the top three bring 71 %."""
    risk, names = dashboard.figures.concentration, dashboard.concentration_names
    if not risk.at_risk or names is None:
        return ""
    each = " each" if len(names.largest) > 1 else ""
    verb = "bring" if len(names.largest) > 1 else "brings"
    text = (f"Concentration risk: {_names(names.largest)}{each} {verb} {percent(risk.largest_share)} of the "
            "last 12 months' revenue")
    if len(names.top3) >= 3:
        text += f"; the top three ({', '.join(names.top3)}) bring {percent(risk.top3_share)}"
    return text + "."


class DashboardPage(QWidget):
    """`contact_requested` asks the window to show a client on the Contacts page (a bar or a row chosen)."""

    contact_requested = Signal(int)
    refreshed = Signal()  # new figures are on screen (for tests)
    months_refreshed = Signal()  # the months' charts too
    funnel_refreshed = Signal()  # the stages by month, once its tab has been shown

    def __init__(self, workspace: Workspace, operations: Operations, parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace = workspace
        self._operations = operations
        self._running = False
        self._again = False  # asked to refresh while working: once more when done
        self.dashboard = None  # the figures on screen
        self._ids: list[int] = []  # the chart's and the table's contact ids, in order
        self._sized = False  # the chart and the table share the width once the page knows its own

        self.title = QLabel("<b>Dashboard</b>", self)
        self.status = QLabel(WORKING, self)
        self.status.setStyleSheet(HINT_STYLE)
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.setToolTip("Work out the figures again (F5)")
        self.refresh_button.clicked.connect(self.refresh)
        shortcut = QShortcut(QKeySequence(Qt.Key.Key_F5), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.refresh)
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addSpacing(12)
        header.addWidget(self.status, 1)
        header.addWidget(self.refresh_button)

        self.banner = QLabel(self)
        self.banner.setObjectName("concentrationBanner")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName("Concentration risk")
        self.banner.hide()

        self.tiles: dict[str, QLabel] = {}
        tiles = QHBoxLayout()
        for key, caption in TILES:
            frame = QFrame(self)
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            inner = QVBoxLayout(frame)
            inner.setContentsMargins(10, 6, 10, 6)
            name = QLabel(caption, frame)
            name.setStyleSheet(HINT_STYLE)
            value = QLabel("—", frame)
            value.setStyleSheet("font-size: 15pt; font-weight: bold;")
            value.setAccessibleName(caption)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            inner.addWidget(name)
            inner.addWidget(value)
            tiles.addWidget(frame, 1)
            self.tiles[key] = value

        self.chart = QChart()
        self.chart.setTitle(f"The {TOP_CLIENTS} largest clients of the last 12 months")
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart_view = QChartView(self.chart, self)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumSize(420, 300)
        self.bars: QBarSet | None = None

        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(("Client", "Revenue", "Cumulative"))
        self.table.setAccessibleName("Largest clients")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # the rank, as on the chart
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            self.table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.activated.connect(lambda index: self._request(index.row()))  # Enter, or a double click

        self.split = QSplitter(Qt.Orientation.Horizontal, self)
        self.split.addWidget(self.chart_view)
        self.split.addWidget(self.table)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        self.split.setChildrenCollapsible(False)
        self.stage_chart, self.stage_table = self._trend_view(
            "Revenue by stage, month by month",
            ("Month", "New customers", "Clients", "Total"), "Revenue by stage by month")
        self.retention_chart, self.retention_table = self._trend_view(
            "Retention at each month's end", ("Month", "Retention"), "Retention by month")
        self.trends_status = QLabel(TRENDS_WORKING, self)
        self.trends_status.setStyleSheet(HINT_STYLE)
        self.views = QTabWidget(self)
        self.views.setAccessibleName("Charts")
        self.views.addTab(self.split, "Largest clients")
        self._trend_splits = (self._pair(self.stage_chart, self.stage_table),
                              self._pair(self.retention_chart, self.retention_table))
        self.views.addTab(self._trend_splits[0], "Revenue by &stage")
        self.views.addTab(self._trend_splits[1], "Retention b&y month")
        self.funnel_chart, self.funnel_table = self._trend_view(
            "Contacts in each stage at each month's end", ("Month", *FUNNEL_HEADERS), "Stages by month")
        self._funnel_split = self._pair(self.funnel_chart, self.funnel_table)
        self._funnel_tab = self.views.addTab(self._funnel_split, "Funnel by &month")
        self.funnel = None  # the months' stages on screen
        self._funnel_stale = True
        self._funnel_reading = False
        self.views.currentChanged.connect(lambda _index: self._read_funnel_if_shown())
        self.trends = None  # the months on screen
        self.empty = QLabel(NO_PURCHASES, self)
        self.empty.setStyleSheet(HINT_STYLE)
        self.empty.setWordWrap(True)
        self.empty.setTextFormat(Qt.TextFormat.RichText)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()

        self.stages = QTableWidget(1, len(Stage), self)
        self.stages.setAccessibleName("Contacts by stage")
        self.stages.setHorizontalHeaderLabels([stage.value.capitalize() for stage in Stage])
        self.stages.setVerticalHeaderLabels(["Contacts"])
        self.stages.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.stages.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.stages.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stages.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stages.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.stages.setFixedHeight(self.stages.horizontalHeader().sizeHint().height()
                                   + self.stages.verticalHeader().defaultSectionSize() + 4)
        stages_caption = QLabel("Contacts in each stage today", self)
        stages_caption.setStyleSheet(HINT_STYLE)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(header)
        layout.addWidget(self.banner)
        layout.addLayout(tiles)
        layout.addWidget(self.views, 1)
        layout.addWidget(self.trends_status)
        layout.addWidget(self.empty, 1)
        layout.addWidget(stages_caption)
        layout.addWidget(self.stages)

    # -- refreshing ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Work the figures out again, off the UI thread."""
        if self._running:
            self._again = True
            return
        self._running = True
        self.status.setText(WORKING)
        self.refresh_button.setEnabled(False)
        metrics = self._workspace.metrics
        self.trends_status.setText(TRENDS_WORKING)
        # Two reads at once, on two cores: the figures show as soon as they are ready, the months when theirs are.
        self._operations.read(lambda: metrics.dashboard(metrics.today(), TOP_CLIENTS),
                              on_done=self._arrived, on_error=self._failed)
        self._operations.read(lambda: metrics.trends(metrics.today()), on_done=self._trends_arrived,
                              on_error=lambda error: self.trends_status.setText(
                                  f"The last 12 months could not be worked out: {error}"))
        self._funnel_stale = True
        self._read_funnel_if_shown()

    def apply(self, changes: Changes) -> None:
        # Hidden, it waits: showing it works the figures out afresh.
        if self.isVisible() and (changes.everything or changes.purchases or changes.stages or changes.contacts):
            self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

    def _finished(self) -> bool:
        """True when the result should be shown; False when another refresh was asked for meanwhile."""
        self._running = False
        self.refresh_button.setEnabled(True)
        if self._again:
            self._again = False
            self.refresh()
            return False
        return True

    def _failed(self, error: BaseException) -> None:
        if self._finished():
            self.status.setText(f"The figures could not be worked out: {error}")

    def _arrived(self, dashboard) -> None:
        if not self._finished():
            return
        self.dashboard = dashboard
        figures, currency = dashboard.figures, dashboard.currency
        self.status.setText(f"As of {figures.as_of:%A %d %B %Y}")
        text = banner_text(dashboard)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        values = {"revenue": money(figures.revenue_12m, currency), "top20": percent(figures.top20_share),
                  "retention": percent(figures.retention_rate), "repeat": percent(figures.repeat_rate),
                  "conversion": percent(figures.conversion_rate), "ltv": money(figures.ltv_median, currency)}
        for key, value in values.items():
            self.tiles[key].setText(value)
        for column, stage in enumerate(Stage):
            item = QTableWidgetItem(f"{figures.stages.get(stage, 0):,}")
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.stages.setItem(0, column, item)
        self._ids = [cid for cid, *_ in dashboard.pareto]
        self._fill_table(dashboard)
        self._fill_chart(dashboard)
        has_rows = bool(dashboard.pareto)
        self.empty.setText(NO_PURCHASES if not dashboard.any_purchases else NO_RECENT_PURCHASES)
        self.views.setVisible(has_rows)
        self.trends_status.setVisible(has_rows and self.trends_status.text() != "")
        if has_rows and not self._sized and self.split.width() > 600:
            self._sized = True
            for split in (self.split, *self._trend_splits):
                _share_width(split, self.split.width())
            _share_width(self._funnel_split, self.split.width(), widest=390, share=0.45)  # six columns of counts
        self.empty.setVisible(not has_rows)
        self.refreshed.emit()

    def _fill_table(self, dashboard) -> None:
        _fill_rows(self.table, [(name, money(amount, dashboard.currency), percent(share, 1))
                                 for _cid, name, amount, share in dashboard.pareto])
        for row, (_cid, name, *_rest) in enumerate(dashboard.pareto):
            self.table.item(row, 0).setToolTip(name)
        if dashboard.pareto and self.table.currentRow() < 0:
            self.table.setCurrentCell(0, 0)

    def _fill_chart(self, dashboard) -> None:
        chart = _cleared(self.chart)
        self.bars = None
        if not dashboard.pareto:
            return
        count = len(dashboard.pareto)
        chart.setTitle(f"The {count} largest clients of the last 12 months" if count > 1
                       else "The one client of the last 12 months")
        bars = QBarSet(f"Revenue ({dashboard.currency})")
        bars.setColor(QColor(BAR_COLOR))
        cumulative = QLineSeries()
        cumulative.setName("Cumulative share (%)")
        cumulative.setPen(QPen(QColor(LINE_COLOR), 2))
        cumulative.setPointsVisible(True)
        for index, (_cid, _name, amount, share) in enumerate(dashboard.pareto):
            bars.append(float(amount))
            cumulative.append(index, float(share * 100))
        bars.clicked.connect(self._request)
        bars.hovered.connect(lambda over, index: self.chart_view.setToolTip(
            self._bar_tip(index) if over else ""))
        series = QBarSeries()
        series.append(bars)
        mark = QLineSeries()
        mark.setName("80 %")
        mark.setPen(QPen(QColor(MARK_COLOR), 1, Qt.PenStyle.DashLine))
        mark.append(-0.5, 80)
        mark.append(count - 0.5, 80)
        chart.addSeries(series)
        chart.addSeries(cumulative)
        chart.addSeries(mark)

        # The axis shows each client's rank (the table's row number): names would crowd or be elided; a
        # bar's tooltip names its client.
        categories = QBarCategoryAxis()
        categories.append([str(rank) for rank in range(1, count + 1)])
        categories.setTitleText("Clients by revenue, largest first")
        chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        money_axis = QValueAxis()
        money_axis.setRange(0, float(dashboard.pareto[0][2]) * 1.05)
        money_axis.setLabelFormat("%.0f")
        money_axis.setTitleText(dashboard.currency)
        money_axis.applyNiceNumbers()
        chart.addAxis(money_axis, Qt.AlignmentFlag.AlignLeft)
        share_axis = _percent_axis(chart, Qt.AlignmentFlag.AlignRight)
        series.attachAxis(categories)
        series.attachAxis(money_axis)
        for line in (cumulative, mark):
            line.attachAxis(categories)
            line.attachAxis(share_axis)
        self.bars = bars

    # -- the months ------------------------------------------------------------------------------

    def _trend_view(self, title: str, headers: tuple[str, ...], name: str) -> tuple[QChart, QTableWidget]:
        chart = QChart()
        chart.setTitle(title)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setMargins(QMargins(4, 4, 4, 4))
        table = QTableWidget(0, len(headers), self)
        table.setHorizontalHeaderLabels(headers)
        table.setAccessibleName(name)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.setWordWrap(False)
        for column in range(len(headers)):
            table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        return chart, table

    def _pair(self, chart: QChart, table: QTableWidget) -> QSplitter:
        view = QChartView(chart, self)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumSize(420, 300)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(view)
        split.addWidget(table)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        return split

    def _trends_arrived(self, months) -> None:
        self.trends = months
        self.trends_status.setText("")
        self.trends_status.hide()
        currency = self.dashboard.currency if self.dashboard is not None else self._workspace.business.profile().currency
        # The month alone under each bar, so twelve fit; the span, years included, is the axis's title.
        labels = [f"{month.month:%b}" for month in months]
        self._span = f"{months[0].month:%B %Y} to {months[-1].month:%B %Y}" if months else ""
        self._fill_stage_trend(months, labels, currency)
        self._fill_retention_trend(months, labels)
        self.months_refreshed.emit()

    def _fill_stage_trend(self, months, labels: list[str], currency: str) -> None:
        _fill_rows(self.stage_table, [
            (f"{month.month:%B %Y}", money(month.new_revenue, currency), money(month.repeat_revenue, currency),
             money(month.new_revenue + month.repeat_revenue, currency)) for month in months])
        chart = _cleared(self.stage_chart)
        new = QBarSet("New customers (first purchases)")
        new.setColor(QColor(NEW_COLOR))
        repeat = QBarSet("Clients (repeat purchases)")
        repeat.setColor(QColor(BAR_COLOR))
        for month in months:
            new.append(float(month.new_revenue))
            repeat.append(float(max(month.repeat_revenue, 0)))
        series = QStackedBarSeries()
        series.append(new)
        series.append(repeat)
        chart.addSeries(series)
        axis_x = _month_axis(chart, labels, self._span)
        axis_y = QValueAxis()
        top = max((float(m.new_revenue + max(m.repeat_revenue, 0)) for m in months), default=0.0)
        axis_y.setRange(0, top * 1.05 or 1)
        axis_y.setLabelFormat("%.0f")
        axis_y.setTitleText(currency)
        axis_y.applyNiceNumbers()
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)

    def _fill_retention_trend(self, months, labels: list[str]) -> None:
        _fill_rows(self.retention_table, [(f"{month.month:%B %Y}", percent(month.retention_rate, 1))
                                          for month in months])
        chart = _cleared(self.retention_chart)
        line = QLineSeries()
        line.setName("Buyers of the year before who bought again")
        line.setPen(QPen(QColor(BAR_COLOR), 2))
        line.setPointsVisible(True)
        for index, month in enumerate(months):
            if month.retention_rate is not None:
                line.append(index, float(month.retention_rate * 100))
        chart.addSeries(line)
        axis_x = _month_axis(chart, labels, self._span)
        axis_y = _percent_axis(chart, Qt.AlignmentFlag.AlignLeft)
        line.attachAxis(axis_x)
        line.attachAxis(axis_y)

    # -- the funnel over time: read only when its tab is shown (it walks every stage change) ----------------

    def _read_funnel_if_shown(self) -> None:
        if self.views.currentIndex() != self._funnel_tab or not self._funnel_stale or self._funnel_reading:
            return
        self._funnel_stale = False
        self._funnel_reading = True
        self.funnel_chart.setTitle("Working out the stages at each month's end…")
        metrics = self._workspace.metrics
        self._operations.read(lambda: metrics.funnel(metrics.today()), on_done=self._funnel_arrived,
                              on_error=self._funnel_failed)

    def _funnel_failed(self, error: BaseException) -> None:
        self._funnel_reading = False
        self.funnel_chart.setTitle(f"The stages by month could not be worked out: {error}")

    def _funnel_arrived(self, months) -> None:
        self._funnel_reading = False
        self.funnel = months
        self.funnel_chart.setTitle("Contacts in each stage at each month's end")
        _fill_rows(self.funnel_table, [(f"{month.month:%b %Y}", *(f"{month.stages[stage]:,}" for stage in FUNNEL_STAGES))
                                       for month in months])
        chart = _cleared(self.funnel_chart)
        labels = [f"{month.month:%b}" for month in months]
        span = f"{months[0].month:%B %Y} to {months[-1].month:%B %Y}" if months else ""
        axis_x = _month_axis(chart, labels, span)
        axis_y = QValueAxis()
        top = max((month.stages[stage] for month in months for stage in CHARTED_STAGES), default=0)
        axis_y.setRange(0, top * 1.1 or 1)
        axis_y.setLabelFormat("%.0f")
        axis_y.applyNiceNumbers()
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        for stage in CHARTED_STAGES:
            line = QLineSeries()
            line.setName(FUNNEL_HEADERS[FUNNEL_STAGES.index(stage)])
            line.setPen(QPen(QColor(STAGE_COLORS[stage]), 2))
            line.setPointsVisible(True)
            for index, month in enumerate(months):
                line.append(index, month.stages[stage])
            chart.addSeries(line)
            line.attachAxis(axis_x)
            line.attachAxis(axis_y)
        if self._funnel_stale:  # asked again while this one was read
            self._read_funnel_if_shown()
        self.funnel_refreshed.emit()

    def _bar_tip(self, index: int) -> str:
        if self.dashboard is None or not 0 <= index < len(self.dashboard.pareto):
            return ""
        _cid, name, amount, share = self.dashboard.pareto[index]
        return f"{index + 1}. {name}: {money(amount, self.dashboard.currency)} ({percent(share, 1)} cumulative)"

    def _request(self, index: int) -> None:
        if 0 <= index < len(self._ids):
            self.contact_requested.emit(self._ids[index])



def _cleared(chart: QChart) -> QChart:
    chart.removeAllSeries()
    for axis in chart.axes():
        chart.removeAxis(axis)
    return chart


def _share_width(split: QSplitter, width: int, widest: int = 420, share: float = 0.4) -> None:
    """The chart takes most of the width; the table what its numbers need: `share` of it, at most `widest`."""
    table = min(widest, int(width * share))
    split.setSizes([width - table, table])


def _fill_rows(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    """Text rows into a table: the first column reads as a label, the others as numbers, right-aligned."""
    table.setRowCount(len(rows))
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            cell = QTableWidgetItem(value)
            if column:
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, column, cell)


def _percent_axis(chart: QChart, side: Qt.AlignmentFlag) -> QValueAxis:
    """0 to 100 %, in steps of 20."""
    axis = QValueAxis()
    axis.setRange(0, 100)
    axis.setTickCount(6)
    axis.setLabelFormat("%.0f %%")
    chart.addAxis(axis, side)
    return axis


def _month_axis(chart: QChart, labels: list[str], span: str) -> QBarCategoryAxis:
    axis = QBarCategoryAxis()
    axis.append(labels)
    axis.setTitleText(span)
    small = axis.labelsFont()
    small.setPointSizeF(small.pointSizeF() * 0.85)  # twelve month names side by side in a narrow chart
    axis.setLabelsFont(small)
    chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
    return axis
