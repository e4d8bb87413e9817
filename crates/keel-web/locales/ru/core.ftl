app-tagline = Клиент и агентство в одном честном пространстве
nav-projects = Проекты
nav-logout = Выйти
nav-language = Язык
nav-account = Настройки
definitions-title = Как Keel считает показатели
definitions-intro = Каждое число на страницах Keel ведёт сюда. Формулы — из спецификации продукта; тесты сверяют их с посчитанными вручную значениями и реальными данными.
nav-definitions = Определения
error-back = К вашим проектам
error-404 = Здесь ничего нет
error-404-hint = Страницы не существует или у вас нет к ней доступа. Проверьте адрес или вернитесь к своим проектам.
error-403 = Нет прав
error-403-hint = Ваша роль в проекте не позволяет это сделать. Обратитесь к владельцу проекта со стороны клиента или к руководителю агентства.
error-400 = В запросе ошибка
error-500 = Что-то сломалось на нашей стороне
error-500-hint = Сбой записан в журнал. Попробуйте ещё раз чуть позже.
error-other = Запрос не выполнен
flash-saved = Сохранено.
flash-brief_saved = Новая версия брифа сохранена.
flash-brief_acknowledged = Бриф подтверждён.
flash-goal_set = Цель поставлена. Она начнёт учитываться, когда её согласуют обе стороны.
flash-goal_changed = Цель изменена. Обе стороны согласуют её заново.
flash-goal_agreed = Цель согласована с вашей стороны.
flash-goal_archived = Цель отправлена в архив.
flash-meeting_saved = Встреча сохранена.
flash-post_created = Черновик создан.
flash-post_saved = Пост сохранён.
flash-post_moved = Готово: состояние поста изменилось.
flash-comment_added = Комментарий добавлен.
nav-notifications = Уведомления
common-save = Сохранить

# Числа с существительными (формы множественного числа CLDR: one, few, many).
count-posts = { $n ->
    [one] { $n } пост
    [few] { $n } поста
   *[many] { $n } постов
}
count-more = ещё { $n }
count-problems = { $n ->
    [one] { $n } проблема
    [few] { $n } проблемы
   *[many] { $n } проблем
}
count-unread = { $n ->
    [one] { $n } непрочитанное
    [few] { $n } непрочитанных
   *[many] { $n } непрочитанных
}
count-days = { $n ->
    [one] { $n } день
    [few] { $n } дня
   *[many] { $n } дней
}
count-people = { $n ->
    [one] { $n } человек
    [few] { $n } человека
   *[many] { $n } человек
}
count-rounds = { $n ->
    [one] { $n } раунд
    [few] { $n } раунда
   *[many] { $n } раундов
}
count-items = { $n ->
    [one] { $n } пункт
    [few] { $n } пункта
   *[many] { $n } пунктов
}
count-warnings = { $n ->
    [one] { $n } предупреждение
    [few] { $n } предупреждения
   *[many] { $n } предупреждений
}
